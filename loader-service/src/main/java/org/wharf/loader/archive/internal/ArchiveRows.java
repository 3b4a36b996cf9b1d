package org.wharf.loader.archive.internal;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;
import org.wharf.loader.swhid.GitObjectHasher;
import org.wharf.loader.swhid.ObjectId;
import org.wharf.loader.swhid.SwhIdentifiers;

/**
 * The archive's part of the {@code loader} schema: which objects are in the bucket (and whether the
 * upload finished), where each content lies, the skipped contents, and the graph. Rows go in by arrays
 * ({@code unnest}), one statement per batch rather than one per row.
 */
@Repository
public class ArchiveRows {

    /** Where a content's bytes are: one object, one byte range. */
    public record Location(String key, long offset, long length, boolean stored) {
    }

    public record DirectoryRow(ObjectId id, List<GitObjectHasher.TreeEntry> entries) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public ArchiveRows(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** The contents among {@code ids} that the archive has (true) or is receiving (false, its upload not finished). */
    public Map<ObjectId, Boolean> known(Collection<ObjectId> ids) {
        Map<ObjectId, Boolean> known = new HashMap<>();
        if (ids.isEmpty()) {
            return known;
        }
        jdbc.query(con -> {
            PreparedStatement ps = con.prepareStatement("""
                    select c.sha1_git, o.state from content c join archive_object o on o.key = c.object_key
                    where c.sha1_git = any(?)""");
            ps.setArray(1, con.createArrayOf("bytea", bytes(ids)));
            return ps;
        }, rs -> {
            known.put(new ObjectId(rs.getBytes(1)), ObjectState.of(rs.getString(2)) == ObjectState.STORED);
        });
        return known;
    }

    /**
     * Claims an object before its upload: the object, as uploading for {@code depositId}, and the
     * contents it will hold, in one transaction. Returns false if the key is taken (another load has it).
     * A content claimed meanwhile by another load keeps its claim; its bytes here are simply unused.
     */
    public boolean claim(String key, String depositId, long size, List<Pack.Segment> segments) {
        Boolean claimed = tx.execute(status -> {
            int inserted = jdbc.update("insert into archive_object (key, deposit_id, state, size) values (?, ?, 'uploading', ?) "
                    + "on conflict (key) do nothing", key, depositId, size);
            if (inserted == 0) {
                return false;
            }
            byte[][] ids = new byte[segments.size()][];
            Long[] offsets = new Long[segments.size()];
            Long[] lengths = new Long[segments.size()];
            for (int i = 0; i < segments.size(); i++) {
                ids[i] = segments.get(i).id().bytes();
                offsets[i] = segments.get(i).offset();
                lengths[i] = segments.get(i).length();
            }
            jdbc.update(con -> {
                PreparedStatement ps = con.prepareStatement("""
                        insert into content (sha1_git, length, object_key, object_offset)
                        select id, len, ?, off from unnest(?::bytea[], ?::bigint[], ?::bigint[]) as t(id, off, len)
                        on conflict (sha1_git) do nothing""");
                ps.setString(1, key);
                ps.setArray(2, con.createArrayOf("bytea", ids));
                ps.setArray(3, con.createArrayOf("bigint", offsets));
                ps.setArray(4, con.createArrayOf("bigint", lengths));
                return ps;
            });
            return true;
        });
        return Boolean.TRUE.equals(claimed);
    }

    /** The upload finished; false if the claim is gone (another load of the deposit took over). */
    public boolean markStored(String key) {
        return jdbc.update("update archive_object set state = 'stored' where key = ? and state = 'uploading'", key) == 1;
    }

    /** The keys of every object claimed and not yet stored: their uploads may be running. */
    public Set<String> uploadingKeys() {
        return new HashSet<>(jdbc.queryForList("select key from archive_object where state = 'uploading'", String.class));
    }

    /** Objects a deposit's earlier, interrupted load claimed but never finished uploading. */
    public List<String> unfinishedUploads(String depositId) {
        return jdbc.queryForList("select key from archive_object where deposit_id = ? and state = 'uploading' order by key",
                String.class, depositId);
    }

    /** Forgets an unfinished object and the contents claimed with it (cascade). */
    public void forget(String key) {
        jdbc.update("delete from archive_object where key = ? and state = 'uploading'", key);
    }

    public Location location(ObjectId id) {
        return jdbc.query("""
                select c.object_key, c.object_offset, c.length, o.state from content c
                join archive_object o on o.key = c.object_key where c.sha1_git = ?""",
                rs -> rs.next() ? new Location(rs.getString(1), rs.getLong(2), rs.getLong(3),
                        ObjectState.of(rs.getString(4)) == ObjectState.STORED)
                        : null, (Object) id.bytes());
    }

    /** Records contents too large to store, by id and length, as Software Heritage's skipped contents. */
    public void skipped(Map<ObjectId, Long> contents, String reason) {
        if (contents.isEmpty()) {
            return;
        }
        List<ObjectId> ids = new ArrayList<>(contents.keySet());
        Long[] lengths = ids.stream().map(contents::get).toArray(Long[]::new);
        jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement("""
                    insert into skipped_content (sha1_git, length, reason)
                    select id, len, ? from unnest(?::bytea[], ?::bigint[]) as t(id, len)
                    on conflict (sha1_git) do nothing""");
            ps.setString(1, reason);
            ps.setArray(2, con.createArrayOf("bytea", bytes(ids)));
            ps.setArray(3, con.createArrayOf("bigint", lengths));
            return ps;
        });
    }

    public boolean isSkipped(ObjectId id) {
        Integer n = jdbc.queryForObject("select count(*) from skipped_content where sha1_git = ?", Integer.class, (Object) id.bytes());
        return n != null && n > 0;
    }

    /**
     * Records directories and their entries; a directory already recorded is left as it is (its id
     * says its entries). A directory and its entries commit together.
     */
    public void directories(List<DirectoryRow> directories) {
        if (directories.isEmpty()) {
            return;
        }
        tx.executeWithoutResult(status -> {
            Set<ObjectId> fresh = new HashSet<>();
            jdbc.query(con -> {
                PreparedStatement ps = con.prepareStatement(
                        "insert into directory (id) select unnest(?::bytea[]) on conflict (id) do nothing returning id");
                ps.setArray(1, con.createArrayOf("bytea", bytes(directories.stream().map(DirectoryRow::id).toList())));
                return ps;
            }, rs -> {
                fresh.add(new ObjectId(rs.getBytes(1)));
            });
            List<byte[]> dirs = new ArrayList<>();
            List<byte[]> names = new ArrayList<>();
            List<String> types = new ArrayList<>();
            List<Integer> perms = new ArrayList<>();
            List<byte[]> targets = new ArrayList<>();
            for (DirectoryRow directory : directories) {
                if (!fresh.remove(directory.id())) {
                    continue; // recorded before, or twice in this batch
                }
                for (GitObjectHasher.TreeEntry entry : directory.entries()) {
                    dirs.add(directory.id().bytes());
                    names.add(entry.name());
                    types.add(entry.mode() == GitObjectHasher.Mode.DIRECTORY ? "dir" : "file");
                    perms.add(Integer.parseInt(entry.mode().text(), 8));
                    targets.add(entry.id().bytes());
                }
            }
            if (dirs.isEmpty()) {
                return;
            }
            jdbc.update(con -> {
                PreparedStatement ps = con.prepareStatement("""
                        insert into directory_entry (directory, name, type, perms, target)
                        select * from unnest(?::bytea[], ?::bytea[], ?::text[], ?::int[], ?::bytea[])""");
                ps.setArray(1, con.createArrayOf("bytea", dirs.toArray(byte[][]::new)));
                ps.setArray(2, con.createArrayOf("bytea", names.toArray(byte[][]::new)));
                ps.setArray(3, con.createArrayOf("text", types.toArray()));
                ps.setArray(4, con.createArrayOf("int4", perms.toArray()));
                ps.setArray(5, con.createArrayOf("bytea", targets.toArray(byte[][]::new)));
                return ps;
            });
        });
    }

    /** The release, once; {@code date} as the depositor gave it (the manifest holds it as seconds and offset). */
    public void release(SwhIdentifiers.Release release, OffsetDateTime date) {
        ObjectId id = release.id();
        jdbc.update("""
                insert into release (id, name, message, author, date, date_offset_minutes, target, target_type, manifest)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (id) do nothing""",
                id.bytes(), release.name(), release.message(), release.authorFullname(),
                date == null ? null : Timestamp.from(date.toInstant()),
                date == null ? null : date.getOffset().getTotalSeconds() / 60, release.target().bytes(), release.targetType(),
                release.manifest());
    }

    /** The snapshot and its branches, once. */
    public void snapshot(ObjectId id, Map<byte[], SwhIdentifiers.Branch> branches) {
        if (jdbc.update("insert into snapshot (id) values (?) on conflict (id) do nothing", (Object) id.bytes()) == 0) {
            return;
        }
        branches.forEach((name, branch) -> jdbc.update(
                "insert into snapshot_branch (snapshot, name, target_type, target) values (?, ?, ?, ?)",
                id.bytes(), name, branch.targetType(), branch.target()));
    }

    /** A new visit of the origin (created if new) that found {@code snapshot}; returns the visit number. */
    public int visit(String originUrl, ObjectId snapshot, String depositId, OffsetDateTime date) {
        jdbc.update("insert into origin (url) values (?) on conflict (url) do nothing", originUrl);
        // The origin row is locked so that two loads of one origin number their visits one after the other.
        jdbc.queryForObject("select url from origin where url = ? for update", String.class, originUrl);
        Integer visit = jdbc.queryForObject("select coalesce(max(visit), 0) + 1 from origin_visit where origin = ?",
                Integer.class, originUrl);
        jdbc.update("""
                insert into origin_visit (origin, visit, type, date, status, snapshot, deposit_id)
                values (?, ?, 'deposit', ?, 'full', ?, ?)""", originUrl, visit, Timestamp.from(date.toInstant()),
                snapshot.bytes(), depositId);
        return visit;
    }

    private static byte[][] bytes(Collection<ObjectId> ids) {
        byte[][] out = new byte[ids.size()][];
        int i = 0;
        for (ObjectId id : ids) {
            out[i++] = id.bytes();
        }
        return out;
    }

}
