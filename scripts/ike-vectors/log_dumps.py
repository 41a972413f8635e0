# Reads the hex dumps ("label => N bytes @ addr" followed by offset lines) out of a charon file log.
import re,sys
def dumps(path):
    out=[]; cur=None
    for line in open(path):
        m=re.match(r'\d+\[(\w+)\] (.*) => (\d+) bytes @ 0x[0-9a-f]+',line)
        if m: cur=[m.group(1),m.group(2),int(m.group(3)),bytearray()]; out.append(cur); continue
        m=re.match(r'\d+\[\w+\]\s+\d+: ((?:[0-9A-F]{2} ?)+)',line)
        if m and cur is not None and len(cur[3])<cur[2]:
            cur[3]+=bytes.fromhex(m.group(1).replace(' ',''))
        else: cur=None if not m else cur
    return out
if __name__=='__main__':
    for g,label,n,data in dumps(sys.argv[1]):
        print(g,label,n,len(data),data[:8].hex())
