// One IKEv2 payload as an immutable value. IkeMessageCodec turns these into the generic-header chain and back;
// nothing here knows about exchanges or keys. Byte arrays are copied in and out so instances stay immutable.
package bitw.ipsec.ike.message;

public sealed interface Payload permits SaPayload, KePayload, IdPayload, CertPayload, CertReqPayload, AuthPayload,
        NoncePayload, NotifyPayload, DeletePayload, VendorIdPayload, TsPayload, EncryptedPayload, ConfigPayload,
        EapPayload, EncryptedFragmentPayload, UnknownPayload {
    /** The payload type number written in the preceding next-payload field (see {@link PayloadType}). */
    int type();
}
