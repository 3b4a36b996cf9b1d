package org.wharf.common.message.deposit;

import org.wharf.common.message.Required;

/**
 * The deposit is set for loading again: back to {@code verified}, its identifiers cleared.
 * {@code previousStatus} is {@code done} or {@code failed}, or {@code verified} when it already was
 * set for rescheduling ({@code note} says so).
 */
public record DepositRescheduled(String depositId, String previousStatus, String note) {

    public DepositRescheduled {
        Required.text(depositId, "depositId");
        Required.text(previousStatus, "previousStatus");
    }
}
