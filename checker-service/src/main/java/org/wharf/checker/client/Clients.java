package org.wharf.checker.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.springframework.stereotype.Service;
import org.wharf.checker.client.internal.ClientRepository;
import org.wharf.common.consumer.Delivery;
import org.wharf.common.message.CommandRejected;
import org.wharf.common.message.Messages;
import org.wharf.common.message.client.ClientCreated;
import org.wharf.common.message.client.CreateClient;

/**
 * Depositing clients: who may deposit into which collection, and under which provider URL.
 * Answers CreateClient with ClientCreated (re-running updates), or CommandRejected for bad input.
 */
@Service
public class Clients {

    /** Usernames and collection names travel in object keys and URLs: keep them plain. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    public record Client(String username, String providerUrl, List<String> collections) {
        public boolean owns(String collection) {
            return collections.contains(collection);
        }
    }

    private final ClientRepository repository;

    public Clients(ClientRepository repository) {
        this.repository = repository;
    }

    public Optional<Client> find(String username) {
        return repository.find(username);
    }

    public void create(Delivery<CreateClient> delivery) {
        CreateClient command = delivery.payload();
        String refusal = refusal(command);
        delivery.handleOnce(() -> {
            if (refusal != null) {
                delivery.emit(Messages.CHECKER_COMMAND_REJECTED, delivery.key(),
                        new CommandRejected(Messages.CREATE_CLIENT.type(), delivery.key(), refusal));
                return;
            }
            boolean existed = repository.upsert(command.username(), command.collection(), command.providerUrl());
            Client client = repository.find(command.username()).orElseThrow();
            delivery.emit(Messages.CLIENT_CREATED, command.username(),
                    new ClientCreated(client.username(), client.collections(), client.providerUrl(), existed));
        });
    }

    private static String refusal(CreateClient command) {
        if (!NAME.matcher(command.username()).matches()) {
            return "username '" + command.username() + "' must be letters, digits, '.', '_' or '-'";
        }
        if (!NAME.matcher(command.collection()).matches()) {
            return "collection '" + command.collection() + "' must be letters, digits, '.', '_' or '-'";
        }
        try {
            URI uri = new URI(command.providerUrl());
            if (!uri.isAbsolute() || uri.getHost() == null
                    || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                return "provider URL '" + command.providerUrl() + "' must be an absolute http(s) URL";
            }
        } catch (URISyntaxException e) {
            return "provider URL '" + command.providerUrl() + "' is not a URL: " + e.getReason();
        }
        return null;
    }
}
