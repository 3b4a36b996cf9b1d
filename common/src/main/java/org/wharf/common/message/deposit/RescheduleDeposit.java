package org.wharf.common.message.deposit;

import org.wharf.common.message.Keyed;
import org.wharf.common.message.Required;

/** Asks the loader to load a deposit again, as {@code swh deposit admin deposit reschedule} does. */
public record RescheduleDeposit(String depositId) implements Keyed {

    @Override
    public String aggregateKey() {
        return depositId;
    }


    public RescheduleDeposit {
        Required.text(depositId, "depositId");
    }
}
