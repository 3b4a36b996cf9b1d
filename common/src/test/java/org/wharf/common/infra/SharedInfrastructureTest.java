package org.wharf.common.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.wharf.common.s3.S3Clients;
import org.wharf.common.testsupport.SharedInfrastructure;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

class SharedInfrastructureTest {

    private final LocalInfrastructure infrastructure = SharedInfrastructure.get();

    @Test
    void everythingListensOnLoopbackOnly() throws Exception {
        int kafkaPort = Integer.parseInt(infrastructure.bootstrapServers().replaceAll(".*:", ""));
        int s3Port = infrastructure.s3().getEndpoint().getPort();
        int postgresPort = infrastructure.postgres().port();
        for (int port : new int[] {kafkaPort, s3Port, postgresPort}) {
            assertThat(reachable(InetAddress.getLoopbackAddress(), port)).as("port %d on loopback", port).isTrue();
            for (InetAddress outside : nonLoopbackAddresses()) {
                assertThat(reachable(outside, port)).as("port %d on %s", port, outside).isFalse();
            }
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.bootstrapServers()))) {
            assertThat(admin.describeCluster().nodes().get()).isNotEmpty();
        }
    }

    private static boolean reachable(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<InetAddress> nonLoopbackAddresses() throws SocketException {
        List<InetAddress> addresses = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (!address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
                    addresses.add(address);
                }
            }
        }
        return addresses;
    }

    @Test
    void s3StoresAndReturnsObjects() {
        try (S3Client s3 = S3Clients.create(infrastructure.s3())) {
            s3.putObject(b -> b.bucket(LocalInfrastructure.DEPOSITS_BUCKET).key("smoke/hello.txt"), RequestBody.fromString("hello"));
            assertThat(s3.getObjectAsBytes(b -> b.bucket(LocalInfrastructure.DEPOSITS_BUCKET).key("smoke/hello.txt")).asUtf8String())
                    .isEqualTo("hello");
        }
    }

    @Test
    void aServiceRoleCannotReadAnotherServicesSchema() {
        Map<String, Object> checker = infrastructure.serviceProperties("checker");
        Map<String, Object> loader = infrastructure.serviceProperties("loader");
        JdbcTemplate asLoader = asRole(loader);
        asLoader.execute("create table if not exists loader_secret (id int)");
        asLoader.update("insert into loader_secret values (1)");
        JdbcTemplate asChecker = asRole(checker);

        assertThat(asChecker.queryForObject("select current_schema()", String.class)).isEqualTo("checker");
        assertThatThrownBy(() -> asChecker.queryForObject("select count(*) from loader.loader_secret", Integer.class))
                .rootCause().hasMessageContaining("permission denied for schema loader");
        assertThatThrownBy(() -> asChecker.execute("create table loader.intruder (id int)"))
                .rootCause().hasMessageContaining("permission denied for schema loader");
        assertThatThrownBy(() -> asChecker.execute("create table public.intruder (id int)"))
                .rootCause().hasMessageContaining("permission denied for schema public");
    }

    private static JdbcTemplate asRole(Map<String, Object> properties) {
        return new JdbcTemplate(new DriverManagerDataSource((String) properties.get("spring.datasource.url"),
                (String) properties.get("spring.datasource.username"), (String) properties.get("spring.datasource.password")));
    }
}
