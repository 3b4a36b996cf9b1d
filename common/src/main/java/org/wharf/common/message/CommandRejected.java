package org.wharf.common.message;

/**
 * The answer to a command a service recognises but cannot carry out (yet, or at all): nothing is
 * dropped silently. Published on the service's own events topic with the command's key.
 */
public record CommandRejected(String commandType, String key, String reason) {

    public CommandRejected {
        Required.text(commandType, "commandType");
        Required.text(reason, "reason");
    }
}
