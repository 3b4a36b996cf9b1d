package org.wharf.checker.client.internal;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.wharf.checker.client.Clients.Client;

@Repository
public class ClientRepository {

    private final JdbcTemplate jdbc;

    public ClientRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Creates or updates the client, creating the collection if missing; true if the client existed. */
    public boolean upsert(String username, String collection, String providerUrl) {
        boolean existed = find(username).isPresent();
        jdbc.update("""
                insert into client (username, provider_url) values (?, ?)
                on conflict (username) do update set provider_url = excluded.provider_url, updated_at = now()""",
                username, providerUrl);
        jdbc.update("insert into collection (name) values (?) on conflict do nothing", collection);
        jdbc.update("insert into client_collection (username, collection) values (?, ?) on conflict do nothing",
                username, collection);
        return existed;
    }

    public Optional<Client> find(String username) {
        List<String> provider = jdbc.queryForList("select provider_url from client where username = ?", String.class, username);
        if (provider.isEmpty()) {
            return Optional.empty();
        }
        List<String> collections = jdbc.queryForList(
                "select collection from client_collection where username = ? order by collection", String.class, username);
        return Optional.of(new Client(username, provider.get(0), collections));
    }
}
