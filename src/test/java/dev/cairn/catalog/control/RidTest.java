package dev.cairn.catalog.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RidTest {

    /** Expected texts computed by ERMrest's own _ermrest.urlb32_encode(int8) on PostgreSQL 15. */
    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "1, 2",
        "2, 4",
        "15, Y",
        "16, 10",
        "31, 1Y",
        "32, 20",
        "1023, 1ZY",
        "1024, 200",
        "524288, 1-0000",
        "1048575, 1-ZZZY",
        "12345678, Q-HGMW",
        "2147483648, 400-0000",
        "1099511627783, 2-0000-000E",
        "9007199254740991, FZZ-ZZZZ-ZZZY",
        "4611686018427387904, 8-0000-0000-0000",
        "9223372036854775807, F-ZZZZ-ZZZZ-ZZZY"
    })
    void encodesAsErmrestDoes(long value, String rid) {
        assertEquals(rid, Rid.encode(value));
        assertEquals(value, Rid.decode(rid));
    }

    @Test
    void decodeIsTheInverseOfEncode() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            long value = random.nextLong(Long.MAX_VALUE);
            assertEquals(value, Rid.decode(Rid.encode(value)));
        }
    }

    @Test
    void decodeIgnoresCaseAndHyphens() {
        assertEquals(12345678L, Rid.decode("q-hgmw"));
        assertEquals(12345678L, Rid.decode("QHGMW"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "1", "ABCU", "1-000I", "G0000-0000-0000", "10-0000-0000-0000", "' OR 1=1"})
    void rejectsWhatIsNotARid(String text) {
        assertThrows(IllegalArgumentException.class, () -> Rid.decode(text));
    }

    @Test
    void rejectsNegativeValues() {
        assertThrows(IllegalArgumentException.class, () -> Rid.encode(-1));
    }
}
