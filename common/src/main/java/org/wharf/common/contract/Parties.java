package org.wharf.common.contract;

import java.util.List;


/** The principals of the ACL plan as the contract documents name them for people. */
final class Parties {

    private Parties() {
    }

    static String described(String principal) {
        return switch (principal) {
            case AclPlan.DEPOSITOR -> "depositing systems";
            case AclPlan.OPERATOR -> "operators (`wharf`)";
            default -> principal;
        };
    }

    /** The principals named for people; every service at once as "every service". */
    static String described(List<String> principals) {
        List<String> services = List.copyOf(AclPlan.serviceInputs().keySet());
        if (principals.equals(services)) {
            return "every service";
        }
        return String.join(", ", principals.stream().map(Parties::described).toList());
    }
}
