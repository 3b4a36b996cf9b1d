package org.wharf.common.message.deposit;

import java.util.List;

import org.wharf.common.message.Problem;
import org.wharf.common.message.Required;

/** The checker refused the deposit; {@code details} says which field and what is wrong. */
public record DepositRejected(String depositId, List<Problem> details) {

    public DepositRejected {
        Required.text(depositId, "depositId");
        details = List.copyOf(Required.field(details, "details"));
    }
}
