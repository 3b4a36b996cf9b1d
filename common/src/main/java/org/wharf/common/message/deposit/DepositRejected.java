package org.wharf.common.message.deposit;

import org.wharf.common.message.Required;

/** The checker refused the deposit; {@code details} says why, grouped as Software Heritage does. */
public record DepositRejected(String depositId, CheckDetails details) {

    public DepositRejected {
        Required.text(depositId, "depositId");
        Required.field(details, "details");
    }
}
