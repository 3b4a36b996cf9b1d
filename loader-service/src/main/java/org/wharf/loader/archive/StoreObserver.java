package org.wharf.loader.archive;

/**
 * Told when an object reaches the bucket, before the schema records it as stored: the one moment where
 * a crash leaves an object the schema does not vouch for. Tests use it to stop a loader right there.
 */
public interface StoreObserver {

    StoreObserver NONE = key -> {
    };

    void uploaded(String key);
}
