package org.wharf.common.message;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A command payload that names its aggregate (a backup target, a deposit, a client, a schedule): the
 * record key must be that name, or the command would run outside the order of its aggregate's other
 * commands (another partition), and a reader of the key would be misled about what it touches.
 */
public interface Keyed {

    /** The aggregate this command is about: the record key it must travel under (null: one the service names). */
    @JsonIgnore
    String aggregateKey();
}
