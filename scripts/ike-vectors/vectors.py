# Turns the charon logs of record.sh (initiator a, responder b) into the Java map literal used by
# StrongSwanInteropVectorsTest: messages as received, and the key material strongSwan logged for them.
import sys
from log_dumps import dumps


def first(d, label):
    for _, l, _, data in d:
        if l == label:
            return bytes(data)
    return b''


def vectors(apath, bpath):
    a, b = dumps(apath), dumps(bpath)
    recv_a = [bytes(d) for _, l, _, d in a if l == 'received packet']
    recv_b = [bytes(d) for _, l, _, d in b if l == 'received packet']
    v = {'initRequest': recv_b[0], 'initResponse': recv_a[0],
         # IKE_AUTH arrives on UDP 4500 behind the 4-byte non-ESP marker.
         'authRequest': recv_b[1][4:], 'authResponse': recv_a[1][4:],
         'sharedSecret': first(a, 'shared Diffie Hellman secret'), 'skeyseed': first(a, 'SKEYSEED')}
    for k in ['d', 'ai', 'ar', 'ei', 'er', 'pi', 'pr']:
        v['sk' + k[0].upper() + k[1:]] = first(a, 'Sk_%s secret' % k)
    v['octets'] = first(a, "octets = message + nonce + prf(Sk_px, IDx')")
    v['pskAuth'] = first(a, 'AUTH = prf(prf(secret, keypad), octets)')
    v['childEncrI'] = first(b, 'encryption initiator key')
    v['childEncrR'] = first(b, 'encryption responder key')
    v['childIntegI'] = first(b, 'integrity initiator key')
    v['childIntegR'] = first(b, 'integrity responder key')
    v['idBody'] = first(a, "IDx'")
    v['natdChunk'] = first(a, 'natd_chunk')
    v['natdHash'] = first(a, 'natd_hash')
    return v


if __name__ == '__main__':
    items = list(vectors(sys.argv[1], sys.argv[2]).items())
    print('    static final Map<String, String> NAME = Map.ofEntries(')
    for i, (k, x) in enumerate(items):
        h = x.hex()
        s = ' +\n                    '.join('"%s"' % h[j:j + 96] for j in range(0, len(h), 96)) or '""'
        print('            Map.entry("%s", %s)%s' % (k, s, ',' if i < len(items) - 1 else ');'))
