package org.wharf.deploy.ssh;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The fingerprints a host's key may have: a host entry's {@code host-key}, one pin or several (a list, or
 * separated by commas or spaces). A key matching any of them is the host's; there is no way to skip the check.
 */
public record HostKeyPins(List<HostKeyPin> pins) {

    public HostKeyPins {
        pins = List.copyOf(pins);
        if (pins.isEmpty()) {
            throw new IllegalArgumentException("no host-key pinned");
        }
    }

    /**
     * Reads a host entry's pins at configuration time; a malformed or missing pin is refused with a reason
     * naming {@code host}.
     */
    public static HostKeyPins parse(String host, List<String> entries) {
        List<HostKeyPin> pins = new ArrayList<>();
        for (String entry : entries == null ? List.<String>of() : entries) {
            if (entry == null) {
                continue;
            }
            for (String pin : entry.strip().split("[,\\s]+")) {
                if (!pin.isEmpty()) {
                    pins.add(HostKeyPin.parse(host, pin));
                }
            }
        }
        if (pins.isEmpty()) {
            throw new IllegalArgumentException("host " + host + ": no host-key pinned; pin its fingerprint, as"
                    + " 'ssh-keyscan -p PORT HOST | ssh-keygen -lf -' prints it");
        }
        return new HostKeyPins(pins);
    }

    public static HostKeyPins parse(String host, String... entries) {
        return parse(host, Arrays.asList(entries));
    }

    public boolean matches(KeyFingerprints key) {
        return pins.stream().anyMatch(pin -> pin.matches(key));
    }

    @Override
    public String toString() {
        return pins.stream().map(HostKeyPin::toString).collect(Collectors.joining(" or "));
    }
}
