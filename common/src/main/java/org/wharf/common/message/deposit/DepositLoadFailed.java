package org.wharf.common.message.deposit;

import org.wharf.common.message.Required;

/** Loading failed; {@code reason} is something a person can act on. */
public record DepositLoadFailed(String depositId, String reason) {

    public DepositLoadFailed {
        Required.text(depositId, "depositId");
        Required.text(reason, "reason");
    }
}
