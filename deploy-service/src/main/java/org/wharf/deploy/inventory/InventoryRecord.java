package org.wharf.deploy.inventory;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.wharf.common.json.WharfJson;
import org.wharf.deploy.inventory.InventoryEntries.Entry;
import org.wharf.deploy.inventory.InventoryEntries.Key;

import tools.jackson.core.type.TypeReference;

/**
 * Keeps the inventory in the deploy schema: at start, each entry added, changed or removed since the last
 * start is logged (one line, naming the settings that changed, never their values) and recorded in
 * {@code inventory_change}; a restart with the same inventory logs and records nothing.
 */
@Component
public class InventoryRecord {

    private static final Logger log = LoggerFactory.getLogger(InventoryRecord.class);

    private static final TypeReference<Map<String, String>> SETTINGS = new TypeReference<>() { };

    private final DeployInventory inventory;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    public InventoryRecord(DeployInventory inventory, JdbcTemplate jdbc, TransactionTemplate tx) {
        this.inventory = inventory;
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = Clock.systemUTC();
    }

    @EventListener(ApplicationReadyEvent.class)
    public void recordAtStart() {
        record(InventoryEntries.of(inventory));
    }

    /** Makes the stored inventory {@code wanted}, recording each difference; returns how many there were. */
    public int record(Map<Key, Entry> wanted) {
        Integer changes = tx.execute(status -> {
            // Replicas starting together: the second waits here, then finds nothing left to record.
            jdbc.execute("lock table inventory_entry in exclusive mode");
            Map<Key, Entry> stored = new LinkedHashMap<>();
            jdbc.query("select application, environment, host, settings::text, fingerprint from inventory_entry", rs -> {
                Map<String, String> settings = WharfJson.MAPPER.readValue(rs.getString(4), SETTINGS);
                stored.put(new Key(rs.getString(1), rs.getString(2), rs.getString(3)), new Entry(settings, rs.getString(5)));
            });
            Timestamp now = Timestamp.from(clock.instant());
            int count = 0;
            for (Map.Entry<Key, Entry> want : wanted.entrySet()) {
                Key key = want.getKey();
                Entry entry = want.getValue();
                Entry before = stored.get(key);
                String settings = WharfJson.MAPPER.writeValueAsString(entry.settings());
                if (before == null) {
                    jdbc.update("insert into inventory_entry (application, environment, host, fingerprint, settings, updated_at)"
                            + " values (?, ?, ?, ?, ?::jsonb, ?)", key.application(), key.environment(), key.host(),
                            entry.fingerprint(), settings, now);
                    change(now, key, "added", null, null, entry.fingerprint());
                    log.info("inventory: {} added", key);
                    count++;
                } else if (!before.fingerprint().equals(entry.fingerprint())) {
                    String names = String.join(", ", entry.changedSince(before));
                    jdbc.update("update inventory_entry set fingerprint = ?, settings = ?::jsonb, updated_at = ?"
                            + " where application = ? and environment = ? and host = ?", entry.fingerprint(), settings, now,
                            key.application(), key.environment(), key.host());
                    change(now, key, "changed", names, before.fingerprint(), entry.fingerprint());
                    log.info("inventory: {} changed: {}", key, names);
                    count++;
                }
            }
            for (Map.Entry<Key, Entry> gone : stored.entrySet()) {
                Key key = gone.getKey();
                if (!wanted.containsKey(key)) {
                    jdbc.update("delete from inventory_entry where application = ? and environment = ? and host = ?",
                            key.application(), key.environment(), key.host());
                    change(now, key, "removed", null, gone.getValue().fingerprint(), null);
                    log.info("inventory: {} removed", key);
                    count++;
                }
            }
            return count;
        });
        return changes == null ? 0 : changes;
    }

    private void change(Timestamp now, Key key, String change, String settings, String oldHash, String newHash) {
        jdbc.update("insert into inventory_change (changed_at, application, environment, host, change, settings, old_hash, new_hash)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?)", now, key.application(), key.environment(), key.host(), change, settings,
                oldHash, newHash);
    }
}
