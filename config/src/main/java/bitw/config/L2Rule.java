// 'l2 <class> <pass|drop>': the bridge's decision for one class of non-IP frames.
package bitw.config;

public record L2Rule(L2Class frames, L2Action action) implements Statement {
    public String key() { return "l2 " + frames.configName; }

    public String render() { return "l2 " + frames.configName + " " + action.configName; }
}
