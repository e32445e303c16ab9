package dev.cairn;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * S3Proxy (an S3-compatible server from Maven Central, copied to {@code target/s3proxy.jar} by the
 * build) on 127.0.0.1 and a free port, keeping its objects in a folder, with SigV4 credentials.
 */
public final class S3Proxy implements AutoCloseable {

    public static final String ACCESS_KEY = "cairn-test";
    public static final String SECRET_KEY = "cairn-test-secret";

    private final Process process;
    private final int port;
    private final Path log;

    private S3Proxy(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts S3Proxy with its objects under {@code folder} (made empty first). */
    public static S3Proxy start(Path folder) throws IOException, InterruptedException {
        CairnProcess.wipe(folder);
        Path objects = Files.createDirectories(folder.resolve("objects"));
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path properties = folder.resolve("s3proxy.properties");
        Files.writeString(
                properties,
                String.join(
                        "\n",
                        "s3proxy.endpoint=http://127.0.0.1:" + port,
                        "s3proxy.authorization=aws-v2-or-v4",
                        "s3proxy.identity=" + ACCESS_KEY,
                        "s3proxy.credential=" + SECRET_KEY,
                        "jclouds.provider=filesystem-nio2",
                        "jclouds.filesystem.basedir=" + objects.toAbsolutePath(),
                        ""));
        Path log = folder.resolve("s3proxy.log");
        Path jar =
                Path.of(System.getProperty("s3proxy.jar", "target/s3proxy.jar")).toAbsolutePath();
        Process process = new ProcessBuilder(
                        "java", "-Xmx512m", "-jar", jar.toString(), "--properties", properties.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        S3Proxy proxy = new S3Proxy(process, port, log);
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy stopped:\n" + Files.readString(log));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return proxy;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        proxy.close();
        throw new IllegalStateException("S3Proxy did not listen within a minute:\n" + Files.readString(log));
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The settings that make Cairn use this server (as environment variables). */
    public Map<String, String> environment(String bucket) {
        return Map.of(
                "CAIRN_STORE",
                "s3",
                "S3_BUCKET",
                bucket,
                "S3_ENDPOINT_URL",
                endpoint(),
                "S3_REGION",
                "us-east-1",
                "AWS_ACCESS_KEY_ID",
                ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY",
                SECRET_KEY);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        }
    }
}
