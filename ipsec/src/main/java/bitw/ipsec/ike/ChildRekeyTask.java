package bitw.ipsec.ike;
final class ChildRekeyTask extends ChildCreateTask {
    final ChildSa old;
    ChildRekeyTask(IkeSa sa, ChildSa old) { super(sa, false); this.old = old; }
}
