package org.wharf.common.message.deposit;

import org.wharf.common.message.Required;

/**
 * An object in a bucket, as announced by whoever uploaded it. {@code size} and {@code sha256} are
 * null for objects whose integrity is not announced (the metadata document).
 */
public record StoredObject(String bucket, String key, Long size, String sha256) {

    public StoredObject {
        Required.text(bucket, "bucket");
        Required.text(key, "key");
    }
}
