package bitw.ipsec.sad;

public enum SaProtocol {
    ESP(50), AH(51);
    public final int ipProtocol;
    SaProtocol(int p) { this.ipProtocol = p; }
}
