package dev.cairn.catalog.control;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.platform.CairnException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CatalogsTest {

    @ParameterizedTest
    @ValueSource(strings = {"demo", "Lab Data", "x\"; DROP SCHEMA s; --", "données", "a-b.c"})
    void domainSchemasMayBeAnyVisibleName(String schema) {
        assertDoesNotThrow(() -> Catalogs.validateDomainSchema(schema));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "_ermrest", "pg_catalog", "public", "deriva-ml", "information_schema", "a\tb", "a\u0000b"})
    void reservedOrUnsafeDomainSchemasAreRefused(String schema) {
        assertThrows(CairnException.BadRequest.class, () -> Catalogs.validateDomainSchema(schema));
    }

    @Test
    void domainSchemaNamesFitPostgresIdentifiers() {
        assertDoesNotThrow(() -> Catalogs.validateDomainSchema("s".repeat(63)));
        assertThrows(CairnException.BadRequest.class, () -> Catalogs.validateDomainSchema("s".repeat(64)));
        // 32 two-byte characters are 64 bytes
        assertThrows(CairnException.BadRequest.class, () -> Catalogs.validateDomainSchema("é".repeat(32)));
    }
}
