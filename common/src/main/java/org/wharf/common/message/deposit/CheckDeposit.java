package org.wharf.common.message.deposit;

import org.wharf.common.message.Keyed;
import org.wharf.common.message.Required;

/**
 * Asks the checker to judge a rejected (or never judged) deposit again, from its announcement as received,
 * e.g. once its client's provider URL or collections were fixed. A verified deposit is refused.
 */
public record CheckDeposit(String depositId) implements Keyed {

    public CheckDeposit {
        Required.text(depositId, "depositId");
    }

    @Override
    public String aggregateKey() {
        return depositId;
    }
}
