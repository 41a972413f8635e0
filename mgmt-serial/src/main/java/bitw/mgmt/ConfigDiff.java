// Differences between two configurations, for 'show configuration diff' (a unified-style line diff of the rendered
// text, running → candidate) and for the one-line summary the audit log keeps of every commit (by statement key).
package bitw.mgmt;

import bitw.config.Configuration;
import bitw.config.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public final class ConfigDiff {
    private static final int CONTEXT = 2;
    // Beyond this many cells the LCS table would be too big for a console; such a diff is shown as a full replace.
    private static final long MAX_CELLS = 4_000_000;

    private ConfigDiff() {}

    /** Unified-style diff of the texts as the console shows them; empty string when they are equal. */
    public static String unified(Configuration from, Configuration to, String fromName, String toName) {
        return unified(lines(ConfigText.of(from)), lines(ConfigText.of(to)), fromName, toName);
    }

    static String unified(List<String> a, List<String> b, String fromName, String toName) {
        if (a.equals(b)) return "";
        List<Edit> edits = edits(a, b);
        StringBuilder sb = new StringBuilder();
        sb.append("--- ").append(fromName).append('\n').append("+++ ").append(toName).append('\n');
        int i = 0;
        while (i < edits.size()) {
            if (edits.get(i).op == ' ') { i++; continue; }
            // A hunk: from CONTEXT lines before this change to CONTEXT lines after the last change that is
            // at most 2*CONTEXT unchanged lines away from the previous one.
            int start = Math.max(0, i - CONTEXT), end = i;
            for (int j = i; j < edits.size(); j++) {
                if (edits.get(j).op != ' ') end = j;
                else if (j - end > 2 * CONTEXT) break;
            }
            end = Math.min(edits.size() - 1, end + CONTEXT);
            int aStart = edits.get(start).aLine, bStart = edits.get(start).bLine, aCount = 0, bCount = 0;
            for (int j = start; j <= end; j++) {
                char op = edits.get(j).op;
                if (op != '+') aCount++;
                if (op != '-') bCount++;
            }
            sb.append("@@ -").append(aStart + 1).append(',').append(aCount).append(" +").append(bStart + 1).append(',').append(bCount).append(" @@\n");
            for (int j = start; j <= end; j++) sb.append(edits.get(j).op).append(edits.get(j).text).append('\n');
            i = end + 1;
        }
        return sb.toString();
    }

    private record Edit(char op, String text, int aLine, int bLine) {}

    private static List<Edit> edits(List<String> a, List<String> b) {
        int n = a.size(), m = b.size();
        List<Edit> out = new ArrayList<>(n + m);
        if ((long) (n + 1) * (m + 1) > MAX_CELLS) {
            for (int i = 0; i < n; i++) out.add(new Edit('-', a.get(i), i, 0));
            for (int j = 0; j < m; j++) out.add(new Edit('+', b.get(j), n, j));
            return out;
        }
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--)
            for (int j = m - 1; j >= 0; j--)
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
        int i = 0, j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) { out.add(new Edit(' ', a.get(i), i, j)); i++; j++; }
            else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) { out.add(new Edit('-', a.get(i), i, j)); i++; }
            else { out.add(new Edit('+', b.get(j), i, j)); j++; }
        }
        return out;
    }

    static List<String> lines(String text) {
        return text.lines().toList();
    }

    /**
     * One line naming what changed by statement key: "+policy 15 ~tunnel to-b -policy 20", or "no change".
     * Cut at about 200 characters with a count of what was left out.
     */
    public static String summary(Configuration from, Configuration to) {
        Map<String, String> a = byKey(from), b = byKey(to);
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, String> e : b.entrySet()) {
            String old = a.get(e.getKey());
            if (old == null) parts.add("+" + e.getKey());
            else if (!old.equals(e.getValue())) parts.add("~" + e.getKey());
        }
        for (String k : a.keySet()) if (!b.containsKey(k)) parts.add("-" + k);
        if (parts.isEmpty()) return "no change";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            if (sb.length() + parts.get(i).length() > 200) return sb.append(" (+").append(parts.size() - i).append(" more)").toString();
            if (i > 0) sb.append(' ');
            sb.append(parts.get(i));
        }
        return sb.toString();
    }

    private static Map<String, String> byKey(Configuration c) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Statement s : c.statements()) m.put(s.key(), s.render());
        return m;
    }
}
