#!/usr/bin/env bash
# mmdebstrap customize hook of build-image.sh: removes from the rootfs ($1) what an appliance with no login never
# reads (documentation, man pages, translations, apt caches) and kernel modules no supported board needs (GPUs,
# sound, media, wireless, exotic file systems), then rebuilds the module index. LAB.md: keep hwmon and scsi; the
# initramfs (MODULES=list) holds only storage drivers, so it stays valid after pruning.
set -euo pipefail
R=$1
rm -rf "$R"/usr/share/doc/* "$R"/usr/share/man/* "$R"/usr/share/info/* "$R"/usr/share/lintian "$R"/usr/share/bug
find "$R/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
rm -rf "$R"/var/cache/apt/* "$R"/var/lib/apt/lists/* "$R"/var/cache/debconf/*-old "$R"/var/lib/dpkg/*-old
find "$R/var/log" -type f -delete
for dir in "$R"/lib/modules/*; do
  kver=$(basename "$dir")
  k=$dir/kernel
  rm -rf "$k"/sound "$k"/drivers/{gpu,media,infiniband,staging,bluetooth,isdn,iio,video,nfc,atm,comedi,hid/intel-ish-hid} \
         "$k"/drivers/input/{joystick,tablet,touchscreen,misc} "$k"/drivers/net/{wireless,can,wwan,ieee802154,hamradio,arcnet,fddi} \
         "$k"/drivers/{thunderbolt,firewire,parport,pcmcia,w1,mfd/*wm*,platform/chrome,platform/surface} \
         "$k"/net/{wireless,mac80211,bluetooth,sunrpc,ceph,nfc,can,rxrpc,6lowpan,ieee802154,mac802154,rds,tipc,sctp,dccp,l2tp,atm,ax25,netrom,rose,x25,lapb,appletalk,9p,batman-adv} \
         "$k"/fs/{btrfs,xfs,ocfs2,gfs2,nfs,nfsd,nfs_common,lockd,ceph,cifs,smb,f2fs,jfs,reiserfs,nilfs2,ntfs3,udf,hfs,hfsplus,ufs,afs,coda,orangefs,erofs,gfs2,dlm,9p,bcachefs,cachefiles,fscache,netfs,romfs,minix,omfs,qnx4,qnx6,sysv,befs,adfs,affs,efs,freevxfs,hpfs,zonefs,exfat}
  chroot "$R" depmod -a "$kver"
done
