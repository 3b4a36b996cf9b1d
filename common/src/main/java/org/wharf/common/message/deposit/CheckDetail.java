package org.wharf.common.message.deposit;

import java.util.List;

import org.wharf.common.message.Required;

/**
 * One finding of the deposit checker, shaped as Software Heritage's deposit status detail:
 * a human summary, and the fields (archive entry names, metadata elements) it concerns.
 */
public record CheckDetail(String summary, List<String> fields) {

    public CheckDetail {
        Required.text(summary, "summary");
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    public static CheckDetail of(String summary, String... fields) {
        return new CheckDetail(summary, List.of(fields));
    }
}
