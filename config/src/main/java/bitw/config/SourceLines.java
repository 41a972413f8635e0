// Where statements and their options were written, so validation errors found after parsing still name a line.
// The console has no file: its changes use NONE (line 0).
package bitw.config;

import java.util.Map;

interface SourceLines {
    SourceLines NONE = (key, option) -> 0;

    /** The line of {@code option} within the statement {@code key} (or of the statement when option is null); 0 if unknown. */
    int line(String key, String option);

    static SourceLines of(Map<String, Integer> statementLines, Map<String, Integer> optionLines) {
        return (key, option) -> {
            if (option != null) {
                Integer l = optionLines.get(key + '\0' + option);
                if (l != null) return l;
            }
            return statementLines.getOrDefault(key, 0);
        };
    }
}
