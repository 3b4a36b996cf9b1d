package org.wharf.loader.swhid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class ObjectIdTest {

    private static final String HEX = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

    @Test
    void hexRoundTripsAndIsLowerCase() {
        ObjectId id = ObjectId.fromHex(HEX.toUpperCase());
        assertThat(id.hex()).isEqualTo(HEX);
        assertThat(id.toString()).isEqualTo(HEX);
        assertThat(ObjectId.fromHex(id.hex())).isEqualTo(id);
        assertThat(id.bytes()).isEqualTo(HexFormat.of().parseHex(HEX));
    }

    @Test
    void copiesTheArrayOnTheWayInAndOut() {
        byte[] raw = HexFormat.of().parseHex(HEX);
        ObjectId id = new ObjectId(raw);
        raw[0] = 0;
        assertThat(id.hex()).isEqualTo(HEX);
        id.bytes()[1] = 0;
        assertThat(id.hex()).isEqualTo(HEX);
    }

    @Test
    void equalityIsByContent() {
        ObjectId a = ObjectId.fromHex(HEX);
        ObjectId b = new ObjectId(HexFormat.of().parseHex(HEX));
        ObjectId c = ObjectId.fromHex("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
    }

    @Test
    void rejectsMalformedInput() {
        assertThatThrownBy(() -> new ObjectId(new byte[19])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectId.fromHex(HEX.substring(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectId.fromHex("z" + HEX.substring(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectId.fromHex(null)).isInstanceOf(NullPointerException.class);
    }
}
