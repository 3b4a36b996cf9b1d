package org.wharf.common.message.deposit;

import org.wharf.common.message.Keyed;
import org.wharf.common.message.Required;

/** Asks the loader to load a deposit that is set for (re)loading ({@code verified} in the loader). */
public record LoadDeposit(String depositId) implements Keyed {

    @Override
    public String aggregateKey() {
        return depositId;
    }


    public LoadDeposit {
        Required.text(depositId, "depositId");
    }
}
