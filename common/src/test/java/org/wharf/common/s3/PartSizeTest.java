package org.wharf.common.s3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartSizeTest {

    private static final int MIB = 1024 * 1024;

    @Test
    void partsDoubleEveryTwoThousandAndAtMostFourTimes() {
        assertThat(S3Uploads.partSizeOf(1, 8 * MIB)).isEqualTo(8 * MIB);
        assertThat(S3Uploads.partSizeOf(2000, 8 * MIB)).isEqualTo(8 * MIB);
        assertThat(S3Uploads.partSizeOf(2001, 8 * MIB)).isEqualTo(16 * MIB);
        assertThat(S3Uploads.partSizeOf(8001, 8 * MIB)).isEqualTo(128 * MIB);
        assertThat(S3Uploads.partSizeOf(S3Uploads.MAX_PARTS, 8 * MIB)).isEqualTo(128 * MIB);
    }

    @Test
    void tenThousandPartsOfEightMibHoldAboutFourHundredEightyGib() {
        long total = 0;
        for (int part = 1; part <= S3Uploads.MAX_PARTS; part++) {
            total += S3Uploads.partSizeOf(part, 8 * MIB);
        }
        assertThat(total / (1024L * MIB)).isEqualTo(484); // against 78 GiB with a fixed 8 MiB part
    }
}
