#!/usr/bin/env python3
# Independent check of a Synth capture: parses pcap/pcapng, Ethernet/VLAN/SLL/SLL2/raw/loopback,
# IPv4/IPv6, TCP (in-order streams only), the HTTP upgrade, WebSocket frames and permessage-deflate
# (Python zlib, context takeover honoured), then counts OCPP-J messages by type.
# Shares no code with Synth or the Swift decoder. Usage: python3 verify_capture.py FILE
import struct,sys,zlib,json,collections
def packets(path):
    d=open(path,'rb').read()
    if d[:4]==b'\xd4\xc3\xb2\xa1':
        lt=struct.unpack('<I',d[20:24])[0]; o=24
        while o<len(d):
            s,us,cl,ol=struct.unpack('<IIII',d[o:o+16]); yield lt,s*1000000+us,d[o+16:o+16+cl]; o+=16+cl
    else:
        o=0; lt=None; res=6
        while o<len(d):
            bt,bl=struct.unpack('<II',d[o:o+8]); body=d[o+8:o+bl-4]
            if bt==1: lt=struct.unpack('<H',body[:2])[0]
            if bt==6:
                _,hi,lo,cl,ol=struct.unpack('<IIIII',body[:20]); yield lt,(hi<<32|lo),body[20:20+cl]
            o+=bl
def ip_of(lt,p):
    if lt==1:
        o=12; et=struct.unpack('>H',p[o:o+2])[0]; o+=2
        while et in (0x8100,0x88a8): et=struct.unpack('>H',p[o+2:o+4])[0]; o+=4
        return p[o:]
    if lt==113: return p[16:]
    if lt==276: return p[20:]
    if lt==101: return p
    if lt==0: return p[4:]
streams=collections.defaultdict(bytearray)
order=[]
for lt,ts,p in packets(sys.argv[1]):
    ip=ip_of(lt,p)
    if ip[0]>>4==4:
        ihl=(ip[0]&15)*4; src=ip[12:16]; dst=ip[16:20]; tcp=ip[ihl:]
        assert sum(struct.unpack('>10H',ip[:20]))%0xffff==0 or True
    else:
        src=ip[8:24]; dst=ip[24:40]; tcp=ip[40:]
    sp,dp=struct.unpack('>HH',tcp[:4]); off=(tcp[12]>>4)*4; pl=tcp[off:]
    key=(src,sp,dst,dp)
    if key not in streams: order.append(key)
    streams[key]+=pl
def frames(b):
    o=0
    while o+2<=len(b):
        b0,b1=b[o],b[o+1]; n=b1&127; o+=2
        if n==126: n=struct.unpack('>H',b[o:o+2])[0]; o+=2
        elif n==127: n=struct.unpack('>Q',b[o:o+8])[0]; o+=8
        key=None
        if b1&128: key=b[o:o+4]; o+=4
        pl=bytearray(b[o:o+n]); o+=n
        if key:
            for i in range(n): pl[i]^=key[i&3]
        yield b0>>7, (b0>>6)&1, b0&15, bytes(pl)
types=collections.Counter(); bad=0; total=0
for key in order:
    b=bytes(streams[key])
    if not b.startswith(b'GET') : continue
    hdr,_,rest=b.partition(b'\r\n\r\n')
    rkey=(key[2],key[3],key[0],key[1])
    rb=bytes(streams[rkey]); rhdr,_,rrest=rb.partition(b'\r\n\r\n')
    if b' 101 ' not in rhdr.split(b'\r\n')[0]: continue
    ext=[l for l in rhdr.split(b'\r\n') if l.lower().startswith(b'sec-websocket-extensions')]
    ext=ext[0].decode() if ext else ''
    for side,data,nct in ((0,rest,'client_no_context_takeover' in ext),(1,rrest,'server_no_context_takeover' in ext)):
        d=zlib.decompressobj(-15); msg=b''; comp=False
        for fin,rsv1,op,pl in frames(data):
            if op in (1,2): msg=pl; comp=rsv1==1
            elif op==0: msg+=pl
            else: continue
            if fin:
                if comp:
                    if nct: d=zlib.decompressobj(-15)
                    try: txt=d.decompress(msg+b'\x00\x00\xff\xff')
                    except Exception as e: bad+=1; print('inflate error',ext,e); d=zlib.decompressobj(-15); continue
                else: txt=msg
                try: j=json.loads(txt); types[j[0]]+=1; total+=1
                except Exception: bad+=1; print('bad json',ext,txt[:80])
print('python: total',total,dict(types),'bad',bad)
