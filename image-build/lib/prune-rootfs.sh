#!/usr/bin/env bash
# Prunes the rootfs ($1) of build-image.sh: what an appliance with no login never reads (documentation, man pages,
# translations, apt caches) and kernel modules no supported board needs, then rebuilds the module index. Kept
# (LAB.md, docs/IMAGE.md): hwmon, scsi, md/dm (RAUC's dm-verity), block (loop), watchdog, leds, gpio, mmc, usb
# hosts and storage, the boards' NIC drivers — Ethernet only for Intel (igb/igc/e1000e: APU2-class x86 boards),
# Realtek (r8169: the R4S LAN) and STMicro (stmmac/dwmac-rk: the R4S WAN), plus virtio_net (qemu) and tun (the
# appliance's TAP). Removed: GPUs, sound, media, wireless, Bluetooth, other Ethernet vendors and 10G+ Intel NICs,
# hypervisor guest/host support (KVM, Xen, Hyper-V, vhost, vfio), netfilter and the kernel bridge (the appliance
# forwards in userspace; a kernel bridge is exactly what must never join the ports), SCSI targets, MTD/UBI flash,
# HID and exotic file systems. The initramfs (MODULES=list) holds only storage drivers, so it stays valid.
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
  if [ -d "$k/drivers/net/ethernet" ]; then
    find "$k/drivers/net/ethernet" -mindepth 1 -maxdepth 1 ! -name intel ! -name realtek ! -name stmicro -exec rm -rf {} +
  fi
  rm -rf "$k"/drivers/net/ethernet/intel/{ice,i40e,iavf,idpf,ixgbe,ixgbevf,ixgb,fm10k} \
         "$k"/drivers/net/{xen-netback,xen-netfront.ko,vmxnet3,hyperv,wan,slip,plip,ppp,fjes.ko,thunderbolt-net.ko,sb1000.ko} \
         "$k"/arch/x86/kvm "$k"/virt "$k"/drivers/{xen,hv,vhost,vfio,virt,target,mtd,hid,accessibility,soundwire,nvdimm,ufs} \
         "$k"/drivers/usb/gadget "$k"/fs/{ubifs,jffs2,fuse} \
         "$k"/net/{netfilter,ipv4/netfilter,ipv6/netfilter,bridge,openvswitch,smc,vmw_vsock,qrtr,phonet,mpls}
  chroot "$R" depmod -a "$kver"
done
