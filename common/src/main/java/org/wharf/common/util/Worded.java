package org.wharf.common.util;

import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An enum whose constants are stored and shown as words: a status column (whose check constraint names
 * them), a line or JSON field of the {@code wharf} command. One way to spell them and read them back.
 */
public interface Worded {

    /** The constant's word: by default its name in lower case, {@code _} as {@code -}. */
    @JsonValue
    default String word() {
        return ((Enum<?>) this).name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The one of {@code constants} whose word is {@code word}; any other word is refused, naming {@code what} it is not. */
    static <E extends Enum<E> & Worded> E of(E[] constants, String word, String what) {
        return Arrays.stream(constants).filter(constant -> constant.word().equals(word)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a " + what + ": " + word));
    }
}
