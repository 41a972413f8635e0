package bitw.ipsec.ike;
final class AdditionalKeTask extends IkeTask {
    AdditionalKeTask(IkeSa sa, int index) { super(sa); }
}
