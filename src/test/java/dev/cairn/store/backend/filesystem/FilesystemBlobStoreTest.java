package dev.cairn.store.backend.filesystem;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

import dev.cairn.store.spi.BlobStore;
import dev.cairn.store.spi.BlobStoreContract;

class FilesystemBlobStoreTest extends BlobStoreContract {

    @TempDir
    Path root;

    @Override
    protected BlobStore newStore() throws IOException {
        return new FilesystemBlobStore(root);
    }
}
