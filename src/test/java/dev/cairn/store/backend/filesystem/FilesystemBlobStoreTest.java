package dev.cairn.store.backend.filesystem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.store.spi.BlobStore;
import dev.cairn.store.spi.BlobStore.Staged;
import dev.cairn.store.spi.BlobStoreContract;
import dev.cairn.store.spi.StorageException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesystemBlobStoreTest extends BlobStoreContract {

    @TempDir
    Path root;

    @Override
    protected BlobStore newStore() throws IOException {
        return new FilesystemBlobStore(root);
    }

    @Test
    void keptContentChangedOnTheDiskIsRefused() throws IOException {
        Staged kept = store.stage("ws-1", new ByteArrayInputStream("original".getBytes(StandardCharsets.UTF_8)), true);
        Files.writeString(root.resolve("staging/ws-1"), "changed!");
        String sha = "c".repeat(64);
        StorageException changed =
                assertThrows(StorageException.class, () -> store.promote(kept, sha, md5("original"), true));
        assertEquals(StorageException.Reason.REJECTED, changed.reason());
        assertTrue(store.localFile(null, sha).isEmpty(), "no blob was made");
    }
}
