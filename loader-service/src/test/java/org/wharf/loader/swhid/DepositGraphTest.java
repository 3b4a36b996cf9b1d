package org.wharf.loader.swhid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.wharf.loader.swhid.DepositGraph.Deposit;
import org.wharf.loader.swhid.DepositGraph.Graph;
import org.wharf.loader.swhid.SwhIdentifiers.Branch;
import org.wharf.loader.swhid.SwhIdentifiers.Date;
import org.wharf.loader.swhid.SwhIdentifiers.Release;

/**
 * Expected ids come from swh-loader-core's swh/loader/package/deposit/tests/test_deposit.py, where
 * the deposit server's fixture gives directory fd2df12d..., client and collection "hal", and author
 * date 2017-10-07T15:17:08Z.
 */
class DepositGraphTest {

    private static final ObjectId DIR = ObjectId.fromHex("fd2df12dc5534c1da1e9180b915102fb6f601d19");
    private static final OffsetDateTime DATE = OffsetDateTime.of(2017, 10, 7, 15, 17, 8, 0, ZoneOffset.UTC);

    private static Deposit hal(long id, String version, String releaseNotes) {
        return new Deposit(DIR, version, "hal", String.valueOf(id), "hal", releaseNotes, DATE);
    }

    @Test
    void singleDeposit() {
        Deposit deposit = hal(666, "1", null);
        assertThat(deposit.releaseMessage()).isEqualTo("hal: Deposit 666 in collection hal\n");

        Graph graph = DepositGraph.of(deposit);

        assertThat(graph.headBranch()).isEqualTo("deposit/1");
        assertThat(graph.headRelease()).isEqualTo(ObjectId.fromHex("c98c19f43ef10a4262345d8e85ca283cea99c7b3"));
        assertThat(graph.releases()).containsOnlyKeys("deposit/1");
        assertThat(graph.snapshot()).isEqualTo(ObjectId.fromHex("28d6c5f69c4022a359203de8e2e81bda103b148e"));
        assertThat(new String(deposit.release().manifest(), StandardCharsets.UTF_8)).isEqualTo(
                "object fd2df12dc5534c1da1e9180b915102fb6f601d19\n"
                        + "type tree\n"
                        + "tag 1\n"
                        + "tagger Software Heritage 1507389428 +0000\n"
                        + "\n"
                        + "hal: Deposit 666 in collection hal\n");
    }

    @Test
    void releaseNotesFollowABlankLineAndGetATrailingNewline() {
        Deposit deposit = hal(999, "1", "This release adds this and that.");
        assertThat(deposit.releaseMessage())
                .isEqualTo("hal: Deposit 999 in collection hal\n\nThis release adds this and that.\n");

        Graph graph = DepositGraph.of(deposit);

        assertThat(graph.headRelease()).isEqualTo(ObjectId.fromHex("a7cae4b6aaaf70f30178d86496aefb7dead0eb77"));
        assertThat(graph.snapshot()).isEqualTo(ObjectId.fromHex("41cd91cb190ffa82fee8ec5d91dedc5d57fb3b1f"));
        assertThat(hal(999, "1", "notes\n").releaseMessage()).endsWith("\n\nnotes\n");
        assertThat(hal(999, "1", "").releaseMessage()).isEqualTo("hal: Deposit 999 in collection hal\n");
    }

    @Test
    void legacyLoaderLayoutStillHashesTheSame() {
        // Before 2024 the loader named the release "HEAD" and made HEAD point at it directly
        // (same test file, older revision). Only the layout changed, not the hashing.
        Release release = new Release(DIR, "directory", "HEAD".getBytes(StandardCharsets.US_ASCII),
                DepositGraph.SWH_ROBOT_FULLNAME.getBytes(StandardCharsets.US_ASCII), DepositGraph.date(DATE),
                "hal: Deposit 666 in collection hal\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(release.id()).isEqualTo(ObjectId.fromHex("2566a64a27bc00362e265be9666d7606750530a1"));
        assertThat(SwhIdentifiers.snapshotId(Map.of("HEAD".getBytes(StandardCharsets.US_ASCII),
                Branch.to("release", release.id()))))
                .isEqualTo(ObjectId.fromHex("338b45d87e02fb5cbf324694bc4a898623d6a30f"));
    }

    @Test
    void severalDepositsOnOneOriginGetDeduplicatedBranchesAndHeadOnTheLast() {
        Graph graph = DepositGraph.of(List.of(hal(1, "ABC", null), hal(2, "abc", null), hal(3, "a$B$c$", null)));

        assertThat(graph.releases()).containsOnlyKeys("deposit/abc", "deposit/abc/1", "deposit/abc/2");
        assertThat(graph.headBranch()).isEqualTo("deposit/abc/2");
        assertThat(graph.headRelease()).isEqualTo(hal(3, "a$B$c$", null).release().id());

        Map<byte[], Branch> branches = new LinkedHashMap<>();
        graph.releases().forEach((name, id) -> branches.put(name.getBytes(StandardCharsets.UTF_8),
                Branch.to("release", id)));
        branches.put("HEAD".getBytes(StandardCharsets.US_ASCII),
                Branch.alias("deposit/abc/2".getBytes(StandardCharsets.US_ASCII)));
        assertThat(graph.snapshot()).isEqualTo(SwhIdentifiers.snapshotId(branches));

        assertThatThrownBy(() -> DepositGraph.of(List.of(hal(1, "v", null), hal(2, "v", null))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DepositGraph.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void releaseNameIsTheRawVersion() {
        Deposit deposit = hal(5, "Version 2.0 (beta)", null);
        assertThat(deposit.release().name()).isEqualTo("Version 2.0 (beta)".getBytes(StandardCharsets.UTF_8));
        assertThat(DepositGraph.of(deposit).headBranch()).isEqualTo("deposit/version-2.0-beta");
    }

    @Test
    void branchNamesMatchPythonSlugging() {
        // Expected values computed with the loader's two re.sub calls in CPython 3.
        assertThat(DepositGraph.branchName("1")).isEqualTo("deposit/1");
        assertThat(DepositGraph.branchName("Version 2.0 (beta)")).isEqualTo("deposit/version-2.0-beta");
        assertThat(DepositGraph.branchName("ABC")).isEqualTo("deposit/abc");
        assertThat(DepositGraph.branchName("a$B$c$")).isEqualTo("deposit/abc");
        assertThat(DepositGraph.branchName("  -_v1.0_-  ")).isEqualTo("deposit/v1.0");
        assertThat(DepositGraph.branchName("Ünïcode Ver\u00a0sion")).isEqualTo("deposit/ünïcode-ver-sion");
        assertThat(DepositGraph.branchName("x - - y")).isEqualTo("deposit/x-y");
        assertThat(DepositGraph.branchName("v1\u2003\u0301final")).isEqualTo("deposit/v1-final");
        assertThat(DepositGraph.branchName("_.a-b._")).isEqualTo("deposit/a-b");
        assertThat(DepositGraph.branchName("2\u00b2")).isEqualTo("deposit/2\u00b2");
    }

    @Test
    void datesAreConvertedLikeTheDepositServer() {
        assertThat(DepositGraph.date(DATE)).isEqualTo(new Date(1507389428L, 0, 0, false));
        OffsetDateTime india = OffsetDateTime.of(2017, 10, 7, 20, 47, 8, 123_456_789, ZoneOffset.ofHoursMinutes(5, 30));
        assertThat(DepositGraph.date(india)).isEqualTo(new Date(1507389428L, 123_456, 330, false));
        OffsetDateTime west = OffsetDateTime.of(2017, 10, 7, 8, 17, 8, 0, ZoneOffset.ofHours(-7));
        assertThat(DepositGraph.date(west).formattedOffset()).isEqualTo("-0700");
        // Python: int(-30) // 60 == -1, i.e. rounded down.
        assertThat(DepositGraph.date(DATE.withOffsetSameInstant(ZoneOffset.ofTotalSeconds(-30))).offsetMinutes())
                .isEqualTo(-1);
        // The same instant in another zone is another release.
        assertThat(new Deposit(DIR, "1", "hal", "666", "hal", null, DATE.withOffsetSameInstant(ZoneOffset.ofHours(2)))
                .release().id()).isNotEqualTo(hal(666, "1", null).release().id());
    }
}
