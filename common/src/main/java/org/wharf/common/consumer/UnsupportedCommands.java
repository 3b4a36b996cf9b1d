package org.wharf.common.consumer;

import java.util.List;

import org.wharf.common.message.CommandRejected;
import org.wharf.common.message.MessageType;

/**
 * Answers commands a service recognises but does not carry out yet with a {@link CommandRejected}
 * on its events topic, so that whoever asked gets an answer instead of silence.
 */
public final class UnsupportedCommands {

    private UnsupportedCommands() {
    }

    public static Subscriptions.Builder answer(Subscriptions.Builder builder, List<? extends MessageType<?>> commands,
                                               MessageType<CommandRejected> answer, String serviceName) {
        for (MessageType<?> command : commands) {
            answerOne(builder, command, answer, serviceName);
        }
        return builder;
    }

    private static <T> void answerOne(Subscriptions.Builder builder, MessageType<T> command,
                                      MessageType<CommandRejected> answer, String serviceName) {
        builder.on(command, delivery -> delivery.handleOnce(() -> delivery.emit(answer, delivery.key(),
                new CommandRejected(command.type(), delivery.key(),
                        serviceName + " does not carry out " + command.type() + " yet"))));
    }
}
