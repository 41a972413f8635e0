// One request/response pair we initiate: its exchange type and the tasks that build and read it.
package bitw.ipsec.ike;

import bitw.ipsec.ike.message.ExchangeType;
import java.util.List;

final class Exchange {
    final ExchangeType type;
    final List<IkeTask> tasks;

    Exchange(ExchangeType type, IkeTask... tasks) {
        this.type = type;
        this.tasks = List.of(tasks);
    }

    boolean wanted() {
        for (IkeTask t : tasks) if (!t.wanted()) return false;
        return true;
    }

    @SuppressWarnings("unchecked")
    <T extends IkeTask> T task(Class<T> kind) {
        for (IkeTask t : tasks) if (kind.isInstance(t)) return (T) t;
        return null;
    }
}
