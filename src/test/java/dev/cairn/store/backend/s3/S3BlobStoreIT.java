package dev.cairn.store.backend.s3;

import dev.cairn.S3Proxy;
import dev.cairn.store.spi.BlobStore;
import dev.cairn.store.spi.BlobStoreContract;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The blob-store contract on S3, against S3Proxy on 127.0.0.1. */
class S3BlobStoreIT extends BlobStoreContract {

    private static S3Proxy proxy;
    private static S3BlobStore s3;

    @BeforeAll
    static void startProxy() throws Exception {
        proxy = S3Proxy.start(Path.of(System.getProperty("it.data.dir", "target/it-data"), "s3-contract"));
        s3 = new S3BlobStore(new S3BlobStore.Settings(
                "contract",
                "some/prefix",
                "us-east-1",
                Optional.of(URI.create(proxy.endpoint())),
                Optional.of(S3Proxy.ACCESS_KEY),
                Optional.of(S3Proxy.SECRET_KEY)));
    }

    @AfterAll
    static void stopProxy() throws Exception {
        if (s3 != null) {
            s3.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Override
    protected BlobStore newStore() throws IOException {
        return s3;
    }
}
