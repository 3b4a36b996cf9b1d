package org.wharf.common.message.deposit;

import org.wharf.common.message.Required;

/** The loader started loading a verified deposit. */
public record DepositLoading(String depositId) {

    public DepositLoading {
        Required.text(depositId, "depositId");
    }
}
