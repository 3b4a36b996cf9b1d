package org.wharf.cli.schedule;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.wharf.common.message.MessageType;
import org.wharf.common.message.Messages;

/**
 * The message types of {@link Messages} by {@code ce_type}, so {@code --type} finds its topic. Read by
 * reflection so that a type added to the catalog is known here without anyone remembering this class.
 */
final class CommandCatalog {

    private static final Map<String, MessageType<?>> BY_TYPE = read();

    private CommandCatalog() {
    }

    static Optional<MessageType<?>> find(String type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }

    private static Map<String, MessageType<?>> read() {
        Map<String, MessageType<?>> types = new HashMap<>();
        for (Field field : Messages.class.getFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            Object value;
            try {
                value = field.get(null);
            } catch (IllegalAccessException e) {
                continue;
            }
            // Commands not carried out yet are grouped in lists (DEPLOY_COMMANDS).
            Collection<?> values = value instanceof Collection<?> list ? list : List.of(value);
            for (Object element : values) {
                if (element instanceof MessageType<?> messageType) {
                    types.put(messageType.type(), messageType);
                }
            }
        }
        return Map.copyOf(types);
    }
}
