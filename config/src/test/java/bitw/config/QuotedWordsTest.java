// Specification of quoted words in the configuration language: double quotes group spaces and '#' into one word,
// \" and \\ are the only escapes, and ConfigParser.quoted writes any text so that the tokenizer reads it back.
package bitw.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QuotedWordsTest {

    static List<String> words(String line) {
        List<ConfigError> errors = new ArrayList<>();
        List<ConfigParser.RawStatement> raws = ConfigParser.split(line, errors);
        assertEquals(List.of(), errors, line);
        assertEquals(1, raws.size(), line);
        return raws.get(0).tokens().stream().map(ConfigParser.Token::text).toList();
    }

    @Test
    void quotesGroupSpacesAndHashesIntoOneWord() {
        assertEquals(List.of("psk", "a b # c"), words("psk \"a b # c\"   # a real comment"));
        assertEquals(List.of("remote-id", "dn:CN=x, O=y"), words("remote-id dn:\"CN=x, O=y\""));
        assertEquals(List.of("a", "", "b"), words("a \"\" b"), "an empty quoted word is a word");
    }

    @Test
    void onlyQuoteAndBackslashAreEscapes() {
        assertEquals(List.of("say \"hi\" \\ now"), words("\"say \\\"hi\\\" \\\\ now\""));
        assertEquals(List.of("O=Example\\, Inc."), words("\"O=Example\\, Inc.\""), "other backslashes stay (RFC 4514 escapes)");
        assertEquals(List.of("back\\slash"), words("back\\slash"), "outside quotes a backslash is a character");
    }

    @Test
    void quotedStringsMayBeContinuedAfterButNotAcrossLines() {
        assertEquals(List.of("psk", "a b", "dpd", "10"), words("psk \"a b\" \\\n dpd 10"));
        List<ConfigError> errors = new ArrayList<>();
        ConfigParser.split("hostname x\npsk \"a b\nhostname y\n", errors);
        assertEquals(List.of(new ConfigError(2, "unterminated quoted string (a '\"' is missing)")), errors);
    }

    @Test
    void quotedTextReadsBackAsItself() {
        Random rnd = new Random(11);
        String alphabet = "ab \"\\#\t,=:-é";
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = rnd.nextInt(12);
            for (int j = 0; j < n; j++) sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            String s = sb.toString();
            assertEquals(List.of("x", s, "y"), words("x " + ConfigParser.quoted(s) + " y"), "'" + s + "' as " + ConfigParser.quoted(s));
        }
        assertEquals("plain", ConfigParser.quoted("plain"), "plain words stay unquoted");
    }
}
