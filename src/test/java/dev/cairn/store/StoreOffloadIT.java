package dev.cairn.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.CairnProcess;
import dev.cairn.Http;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * GETs of object content offloaded to a real nginx in front of Cairn ({@code CAIRN_STORE_OFFLOAD=nginx},
 * the proxy configuration docs/operations.md gives): Cairn checks access and preconditions and
 * answers {@code X-Accel-Redirect}; nginx sends the file, ranges included, with Hatrac's headers.
 * A direct GET keeps today's path.
 */
class StoreOffloadIT {

    private static final Path ROOT = Path.of(System.getProperty("it.data.dir", "target/it-data"));
    private static final Pattern SENT =
            Pattern.compile("(?m)^cairn_store_sent_bytes_total(?:\\{[^}]*\\})? ([0-9.eE+]+)$");

    @Test
    void nginxSendsTheFileAfterCairnChecksAccess() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/sbin/nginx")), "nginx is installed (bin/test installs it)");
        Path data = ROOT.resolve("store-offload");
        CairnProcess.wipe(data);
        try (CairnProcess cairn = CairnProcess.start(
                                data.resolve("cairn"), "384m", Map.of("CAIRN_STORE_OFFLOAD", "nginx"))
                        .awaitReady();
                Nginx nginx =
                        Nginx.start(data.resolve("nginx"), cairn.http().base(), data.resolve("cairn/store/blobs"))) {
            Http direct = cairn.http();
            Http proxied = new Http(nginx.base()).as(direct.token());
            byte[] content = new byte[3_000_000];
            new Random(11).nextBytes(content);
            String md5 = Base64.getEncoder()
                    .encodeToString(MessageDigest.getInstance("MD5").digest(content));

            assertEquals(
                    201,
                    proxied.send("PUT", "/hatrac/offload", "application/x-hatrac-namespace", "")
                            .status());
            assertEquals(
                    201,
                    proxied.put(
                                    "/hatrac/offload/model.bin",
                                    content,
                                    "Content-Type",
                                    "application/x-model",
                                    "Content-MD5",
                                    md5)
                            .status());
            String version = proxied.get("/hatrac/offload/model.bin")
                    .header("Content-Location")
                    .orElseThrow();

            double sentBefore = sent(direct);
            HttpResponse<byte[]> whole = proxied.binary("/hatrac/offload/model.bin");
            assertEquals(200, whole.statusCode());
            assertArrayEquals(content, whole.body());
            assertEquals(md5, whole.headers().firstValue("Content-MD5").orElseThrow());
            assertTrue(whole.headers().firstValue("Content-SHA256").isPresent());
            assertEquals(version, whole.headers().firstValue("Content-Location").orElseThrow());
            assertEquals(
                    "application/x-model",
                    whole.headers().firstValue("Content-Type").orElseThrow());
            for (String once :
                    new String[] {"ETag", "Content-MD5", "Content-SHA256", "Content-Location", "Content-Type"}) {
                assertEquals(
                        1,
                        whole.headers().allValues(once).size(),
                        once + ": " + whole.headers().map());
            }
            String etag = whole.headers().firstValue("ETag").orElseThrow();
            assertTrue(etag.contains(version.substring(version.lastIndexOf(':') + 1)), etag);

            HttpResponse<byte[]> range = proxied.binary("/hatrac/offload/model.bin", "Range", "bytes=1000-1999");
            assertEquals(206, range.statusCode());
            assertArrayEquals(Arrays.copyOfRange(content, 1000, 2000), range.body());
            assertEquals(
                    "bytes 1000-1999/3000000",
                    range.headers().firstValue("Content-Range").orElseThrow());
            // nginx sent the bytes, not Cairn
            assertEquals(sentBefore, sent(direct), "Cairn sent no content for the offloaded GETs");

            assertEquals(
                    304,
                    proxied.binary("/hatrac/offload/model.bin", "If-None-Match", etag)
                            .statusCode());
            HttpResponse<byte[]> refused = new Http(nginx.base()).anonymous().binary("/hatrac/offload/model.bin");
            assertEquals(401, refused.statusCode());
            assertTrue(new String(refused.body()).contains("\"code\":\"unauthorized\""), new String(refused.body()));

            // the internal location is nginx's alone
            HttpResponse<byte[]> hidden =
                    direct.binary("/hatrac/offload/model.bin", "X-Sendfile-Type", "X-Accel-Redirect");
            String target = hidden.headers().firstValue("X-Accel-Redirect").orElseThrow();
            assertTrue(target.startsWith("/_cairn_blobs/"), target);
            assertEquals(0, hidden.body().length);
            assertEquals(404, new Http(nginx.base()).anonymous().binary(target).statusCode());

            // a GET straight to Cairn streams as before
            HttpResponse<byte[]> streamed = direct.binary("/hatrac/offload/model.bin");
            assertEquals(200, streamed.statusCode());
            assertArrayEquals(content, streamed.body());
            assertTrue(sent(direct) >= sentBefore + content.length);
        }
    }

    private static double sent(Http admin) {
        Matcher m = SENT.matcher(admin.get("/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** nginx on a free port, configured as docs/operations.md says, in the foreground. */
    private static final class Nginx implements AutoCloseable {
        private final Process process;
        private final int port;

        private Nginx(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static Nginx start(Path folder, String cairn, Path blobs) throws IOException, InterruptedException {
            Files.createDirectories(folder.resolve("logs"));
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            String root = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
            Path conf = folder.resolve("nginx.conf");
            Files.writeString(conf, root + """
                    worker_processes 1;
                    error_log %1$s/logs/error.log;
                    pid %1$s/nginx.pid;
                    events { worker_connections 64; }
                    http {
                      include /etc/nginx/mime.types;
                      access_log %1$s/logs/access.log;
                      client_body_temp_path %1$s/body;
                      proxy_temp_path %1$s/proxy;
                      fastcgi_temp_path %1$s/fastcgi;
                      uwsgi_temp_path %1$s/uwsgi;
                      scgi_temp_path %1$s/scgi;
                      server {
                        listen 127.0.0.1:%2$d;
                        client_max_body_size 0;
                        location / {
                          proxy_pass %3$s;
                          proxy_set_header Host $http_host;
                          proxy_set_header X-Forwarded-For $remote_addr;
                          proxy_set_header X-Sendfile-Type X-Accel-Redirect;
                          proxy_request_buffering off;
                        }
                        location /_cairn_blobs/ {
                          internal;
                          alias %4$s/;
                          etag off;
                          add_header Content-MD5 $upstream_http_content_md5;
                          add_header Content-SHA256 $upstream_http_content_sha256;
                          add_header Content-Location $upstream_http_content_location;
                          add_header ETag $upstream_http_etag;
                        }
                      }
                    }
                    """.formatted(folder.toAbsolutePath(), port, cairn, blobs.toAbsolutePath()));
            Process process = new ProcessBuilder(
                            "/usr/sbin/nginx",
                            "-p",
                            folder.toAbsolutePath().toString(),
                            "-c",
                            conf.toString(),
                            "-g",
                            "daemon off;")
                    .redirectErrorStream(true)
                    .redirectOutput(folder.resolve("logs/nginx.out").toFile())
                    .start();
            Nginx nginx = new Nginx(process, port);
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            "nginx stopped:\n" + Files.readString(folder.resolve("logs/nginx.out"))
                                    + Files.readString(folder.resolve("logs/error.log")));
                }
                try (Socket ignored = new Socket("127.0.0.1", port)) {
                    return nginx;
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            nginx.close();
            throw new IllegalStateException("nginx did not listen within 30 s");
        }

        String base() {
            return "http://127.0.0.1:" + port;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor();
        }
    }
}
