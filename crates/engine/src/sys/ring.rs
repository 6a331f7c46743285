//! A `TPACKET_V3` receive ring on an `AF_PACKET` socket (Linux): the kernel copies each packet's
//! first bytes into memory shared with this process, in blocks, and hands a block over when it
//! is full or a timer retires it. No system call, no queued copy of the packet and no wake-up
//! per packet: reading the capture costs the sender nothing beyond the copy itself.
//!
//! Why not `recvmsg()` per packet, as before: at gigabytes a second on loopback, each packet
//! was cloned into the socket's queue, charged against its buffer and read back by a system
//! call, and capturing both directions of `firehose` cost a quarter of its wall time
//! (docs/performance.md). Why not a crate: the maintained ones carry an application framework
//! (flows, async runtimes, many features) or a licence this project cannot take, and none
//! offers the `PACKET_VNET_HDR` header this capture needs; what is needed here is a hundred
//! lines over `libc`'s own structs.
//!
//! The protocol (Documentation/networking/packet_mmap.rst): block `k` belongs to the kernel
//! while its `block_status` is `TP_STATUS_KERNEL`; the kernel fills blocks in order and sets
//! `TP_STATUS_USER` when it hands one over; the reader walks its packets and gives it back by
//! storing `TP_STATUS_KERNEL`. The status word is read with acquire ordering and written with
//! release ordering, so the packets are read after the kernel wrote them and before it may
//! write again.

use std::io;
use std::os::fd::AsRawFd;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU32, Ordering};

use socket2::Socket;

/// How a ring is laid out.
#[derive(Clone, Copy, Debug)]
pub struct RingConfig {
    /// Bytes per block (a multiple of the page size).
    pub block_size: u32,
    pub blocks: u32,
    /// A block that has packets is handed over at the latest this long after it was opened.
    pub retire_ms: u32,
    /// Ask for the `virtio_net_hdr` before each packet (`PACKET_VNET_HDR`): its `gso_size`
    /// says how a GSO batch would be cut into segments. Needs a `SOCK_RAW` socket.
    pub vnet_header: bool,
}

/// `sizeof(struct virtio_net_hdr)`.
pub const VNET_HDR_LEN: usize = 10;

/// One packet in a block the kernel handed over.
#[derive(Clone, Copy, Debug)]
pub struct RingPacket<'a> {
    /// The kernel's stamp, ns since the Unix epoch (`CLOCK_REALTIME`), taken as the packet
    /// passed the tap (as it left, for an outgoing packet).
    pub unix_ns: u128,
    /// The packet's whole length (from its link header on), of which `net` holds the start.
    pub wire_len: u32,
    /// `sll_pkttype`: `PACKET_OUTGOING` for a packet leaving the host.
    pub pkttype: u8,
    /// The `virtio_net_hdr` the kernel wrote before the packet, when asked for.
    pub vnet: Option<[u8; VNET_HDR_LEN]>,
    /// The packet from its network (IP) header on, cut at the snap length.
    pub net: &'a [u8],
    /// Bytes of link header before `net` (counted in `wire_len`).
    pub link_len: u32,
}

/// A mapped `TPACKET_V3` ring; unmapped when dropped (before its socket closes).
pub struct PacketRing {
    map: NonNull<u8>,
    len: usize,
    block_size: usize,
    blocks: usize,
    next: usize,
    vnet_header: bool,
    socket: Socket,
}

// SAFETY: the mapping is owned by this value alone (nothing else holds its address), so it may
// move to another thread with it; it is not shared (no `Sync`).
unsafe impl Send for PacketRing {}

fn setsockopt<T>(socket: &Socket, name: libc::c_int, value: &T) -> io::Result<()> {
    // SAFETY: `value` is a live `T` and the length passed is its size; the kernel reads no more.
    let rc = unsafe {
        libc::setsockopt(
            socket.as_raw_fd(),
            libc::SOL_PACKET,
            name,
            (value as *const T).cast(),
            std::mem::size_of::<T>() as libc::socklen_t,
        )
    };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

impl PacketRing {
    /// Sets `socket` up for a ring as `config` says and maps it. Options that must come before
    /// the ring (`PACKET_VNET_HDR`, `PACKET_VERSION`) are set here, in that order.
    pub fn new(socket: Socket, config: RingConfig) -> io::Result<Self> {
        if config.vnet_header {
            setsockopt(&socket, libc::PACKET_VNET_HDR, &(1 as libc::c_int))?;
        }
        // TPACKET_V3 (`libc` has it as an enum variant only)
        setsockopt(&socket, libc::PACKET_VERSION, &(2 as libc::c_int))?;
        // frames are not fixed in V3; the kernel only checks that they tile the blocks
        const FRAME: u32 = 2048;
        let req = libc::tpacket_req3 {
            tp_block_size: config.block_size,
            tp_block_nr: config.blocks,
            tp_frame_size: FRAME,
            tp_frame_nr: config.block_size / FRAME * config.blocks,
            tp_retire_blk_tov: config.retire_ms,
            tp_sizeof_priv: 0,
            tp_feature_req_word: 0,
        };
        setsockopt(&socket, libc::PACKET_RX_RING, &req)?;
        let len = config.block_size as usize * config.blocks as usize;
        // SAFETY: a fresh shared mapping of the ring the kernel just allocated for this socket;
        // no address is given, so nothing existing is replaced.
        let map = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED,
                socket.as_raw_fd(),
                0,
            )
        };
        if map == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        let map = NonNull::new(map.cast::<u8>()).ok_or_else(|| io::Error::from(io::ErrorKind::Other))?;
        Ok(Self {
            map,
            len,
            block_size: config.block_size as usize,
            blocks: config.blocks as usize,
            next: 0,
            vnet_header: config.vnet_header,
            socket,
        })
    }

    /// The socket (for `PACKET_STATISTICS`).
    pub fn socket(&self) -> &Socket {
        &self.socket
    }

    /// The status word of block `k`.
    fn status(&self, k: usize) -> &AtomicU32 {
        let offset = k * self.block_size
            + std::mem::offset_of!(libc::tpacket_block_desc, hdr)
            + std::mem::offset_of!(libc::tpacket_hdr_v1, block_status);
        // SAFETY: `k < blocks`, so the word lies inside the mapping; it is 4-aligned (blocks are
        // page-aligned, the field's offset is 8); the kernel writes it concurrently, which is
        // why it is only ever accessed atomically.
        unsafe { &*self.map.as_ptr().add(offset).cast::<AtomicU32>() }
    }

    /// Packets the kernel has put in block `k` so far (it counts them as it fills the block).
    fn packets_in(&self, k: usize) -> u32 {
        let offset = k * self.block_size
            + std::mem::offset_of!(libc::tpacket_block_desc, hdr)
            + std::mem::offset_of!(libc::tpacket_hdr_v1, num_pkts);
        // SAFETY: as in `status`: inside the mapping, 4-aligned, accessed atomically.
        unsafe { &*self.map.as_ptr().add(offset).cast::<AtomicU32>() }.load(Ordering::Acquire)
    }

    /// Whether the kernel is filling a block that already holds packets: they are handed over
    /// when the block is retired (at most `retire_ms` later).
    pub fn filling(&self) -> bool {
        self.status(self.next).load(Ordering::Acquire) & libc::TP_STATUS_USER == 0 && self.packets_in(self.next) > 0
    }

    /// Calls `each` for every packet of every block the kernel has handed over, in order, and
    /// gives the blocks back; at most one round of the ring per call, so a caller is back
    /// within bounded time however fast the kernel fills it. Returns how many packets there were.
    pub fn drain(&mut self, each: &mut dyn FnMut(RingPacket<'_>)) -> usize {
        let mut n = 0;
        for _ in 0..self.blocks {
            if self.status(self.next).load(Ordering::Acquire) & libc::TP_STATUS_USER == 0 {
                break;
            }
            n += self.walk_block(self.next, each);
            self.status(self.next).store(libc::TP_STATUS_KERNEL, Ordering::Release);
            self.next = (self.next + 1) % self.blocks;
        }
        n
    }

    fn walk_block(&self, k: usize, each: &mut dyn FnMut(RingPacket<'_>)) -> usize {
        // SAFETY: block `k` lies inside the mapping and belongs to this process until it is
        // given back (its status says TP_STATUS_USER): the kernel does not write it meanwhile.
        let block = unsafe { std::slice::from_raw_parts(self.map.as_ptr().add(k * self.block_size), self.block_size) };
        let word = |at: usize| -> Option<u32> { Some(u32::from_ne_bytes(block.get(at..at + 4)?.try_into().ok()?)) };
        let half = |at: usize| -> Option<u16> { Some(u16::from_ne_bytes(block.get(at..at + 2)?.try_into().ok()?)) };
        let hdr = std::mem::offset_of!(libc::tpacket_block_desc, hdr);
        let (Some(count), Some(first)) = (
            word(hdr + std::mem::offset_of!(libc::tpacket_hdr_v1, num_pkts)),
            word(hdr + std::mem::offset_of!(libc::tpacket_hdr_v1, offset_to_first_pkt)),
        ) else {
            return 0;
        };
        let sll_at = (std::mem::size_of::<libc::tpacket3_hdr>() + 15) & !15;
        let mut at = first as usize;
        let mut n = 0;
        for _ in 0..count {
            let field = |f: usize| at + f;
            let parsed = (|| {
                let next = word(field(std::mem::offset_of!(libc::tpacket3_hdr, tp_next_offset)))?;
                let sec = word(field(std::mem::offset_of!(libc::tpacket3_hdr, tp_sec)))?;
                let nsec = word(field(std::mem::offset_of!(libc::tpacket3_hdr, tp_nsec)))?;
                let snaplen = word(field(std::mem::offset_of!(libc::tpacket3_hdr, tp_snaplen)))? as usize;
                let wire_len = word(field(std::mem::offset_of!(libc::tpacket3_hdr, tp_len)))?;
                let mac = usize::from(half(field(std::mem::offset_of!(libc::tpacket3_hdr, tp_mac)))?);
                let net = usize::from(half(field(std::mem::offset_of!(libc::tpacket3_hdr, tp_net)))?);
                let pkttype = *block.get(field(sll_at + std::mem::offset_of!(libc::sockaddr_ll, sll_pkttype)))?;
                let vnet = if self.vnet_header {
                    Some(
                        block
                            .get(at + mac.checked_sub(VNET_HDR_LEN)?..at + mac)?
                            .try_into()
                            .ok()?,
                    )
                } else {
                    None
                };
                let end = at + mac + snaplen;
                let packet = RingPacket {
                    unix_ns: u128::from(sec) * 1_000_000_000 + u128::from(nsec),
                    wire_len,
                    pkttype,
                    vnet,
                    net: block.get(at + net.max(mac)..end)?,
                    link_len: net.saturating_sub(mac) as u32,
                };
                Some((packet, next))
            })();
            let Some((packet, next)) = parsed else { break };
            each(packet);
            n += 1;
            if next == 0 {
                break;
            }
            at += next as usize;
        }
        n
    }
}

impl Drop for PacketRing {
    fn drop(&mut self) {
        // SAFETY: the mapping made in `new`, of `len` bytes, unmapped once; no reference into it
        // outlives `&self` (packets are only lent to the callback of `drain`).
        unsafe {
            libc::munmap(self.map.as_ptr().cast(), self.len);
        }
    }
}
