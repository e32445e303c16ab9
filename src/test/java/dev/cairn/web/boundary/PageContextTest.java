package dev.cairn.web.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.platform.CairnException;
import dev.cairn.platform.ErrorCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Form data as a browser sends it, and what a careless client sends instead. */
class PageContextTest {

    @Test
    void formDataIsDecodedInOrderAndBrokenEscapesAreTheClientsMistake() {
        assertEquals(
                Map.of("v.0.Name", List.of("a b&c"), "flag", List.of("")),
                PageContext.parse("v.0.Name=a+b%26c&flag&&"));
        for (String broken : new String[] {"v.0.Name=%zz", "v.0.Name=%4", "%=1"}) {
            CairnException.BadRequest e =
                    assertThrows(CairnException.BadRequest.class, () -> PageContext.parse(broken), broken);
            assertEquals(ErrorCode.MALFORMED_ESCAPE, e.code());
        }
    }
}
