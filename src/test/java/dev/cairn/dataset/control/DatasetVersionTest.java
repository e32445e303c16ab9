package dev.cairn.dataset.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.platform.CairnException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DatasetVersionTest {

    @Test
    void roundTripsReleasesAndDevVersions() {
        for (String text : List.of("0.1.0", "1.10.3", "0.4.0.post1.dev3", "12.0.7.post1.dev12")) {
            assertEquals(text, DatasetVersion.parse(text).toString());
        }
        assertTrue(DatasetVersion.parse("0.4.0.post1.dev3").isDev());
        assertFalse(DatasetVersion.parse("0.4.0").isDev());
    }

    @Test
    void refusesWhatIsNotOne() {
        for (String text : Stream.of(
                        "",
                        "1",
                        "1.2",
                        "01.2.3",
                        "1.2.3.4",
                        "1.2.3-dev",
                        "1.2.3.post1.dev0",
                        "1.2.3.post2.dev1",
                        "1.2.3.dev1",
                        " 1.2.3",
                        "1.2.3\n",
                        "9999999999.0.0")
                .toList()) {
            assertThrows(CairnException.BadRequest.class, () -> DatasetVersion.parse(text), text);
        }
        assertThrows(CairnException.BadRequest.class, () -> DatasetVersion.parse(null));
    }

    @Test
    void devSortsAfterItsReleaseAndBeforeTheNext() {
        List<String> sorted = Stream.of("0.10.0", "0.2.0.post1.dev2", "0.2.0", "0.2.0.post1.dev10", "0.9.1", "1.0.0")
                .map(DatasetVersion::parse)
                .sorted()
                .map(DatasetVersion::toString)
                .toList();
        assertEquals(List.of("0.2.0", "0.2.0.post1.dev2", "0.2.0.post1.dev10", "0.9.1", "0.10.0", "1.0.0"), sorted);
    }

    @Test
    void bumpsFromTheLastRelease() {
        DatasetVersion dev = DatasetVersion.parse("0.4.2").nextDev().nextDev();
        assertEquals("0.4.2.post1.dev2", dev.toString());
        assertEquals("1.0.0", dev.release().next(DatasetVersion.Bump.MAJOR).toString());
        assertEquals("0.5.0", dev.release().next(DatasetVersion.bump("minor")).toString());
        assertEquals("0.4.3", dev.release().next(DatasetVersion.bump("patch")).toString());
        assertThrows(CairnException.BadRequest.class, () -> DatasetVersion.bump("huge"));
    }
}
