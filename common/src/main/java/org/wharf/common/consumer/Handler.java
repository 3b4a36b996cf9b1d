package org.wharf.common.consumer;

/** What a service does with one record of a type it subscribed to. */
@FunctionalInterface
public interface Handler<T> {

    void handle(Delivery<T> delivery) throws Exception;
}
