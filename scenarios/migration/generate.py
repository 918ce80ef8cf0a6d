#!/usr/bin/env python3
"""Write the scenarios of scenarios/migration/ (docs/migration.md).

The expectations are derived here, independently of the model, from the
rules of Linux arch/arm64/kvm/guest.c __kvm_arm_vcpu_get_events/__kvm_arm_vcpu_set_events; QEMU v7.2.0 target/arm/kvm.c kvm_put_vcpu_events; docs/rules.md H1.3-H1.6, H3.1: GET (has_esr = the host's RAS), the VMM
profiles, SET's EINVAL rules, what KVM chooses without an ESR, and what a
guest then reads.  Run from the repository root:
    python3 scenarios/migration/generate.py
"""
import os

OUT = os.path.dirname(os.path.abspath(__file__))
SRC_ESR = 0x811          # UEO (AET=2), DFSC=AsyncSError: Linux survives it
ISV = 0x1000000          # ESR_ELx_ISV: KVM's choice on a RAS host (kvm_inject_vabt)
A_BIT = 0x80000000       # DISR_EL1.A (VDISR_EL2 as the guest reads it)

RULES = {
    'get': 'Linux v4.19 arch/arm64/kvm/guest.c __kvm_arm_vcpu_get_events (has_esr = host ARM64_HAS_RAS_EXTN; docs/rules.md H1.3)',
    'set': 'Linux arch/arm64/kvm/guest.c __kvm_arm_vcpu_set_events, inject_fault.c kvm_inject_vabt, Documentation/virt/kvm/api.rst 4.32 (SET: has_esr without RAS -> EINVAL; no esr -> ESR_ELx_ISV on RAS, the CPU IMPDEF syndrome without; docs/rules.md H1.3, H1.6)',
    'qemu': 'QEMU v7.2.0 target/arm/kvm.c kvm_put_vcpu_events (sends has_esr/esr only with KVM_CAP_ARM_INJECT_SERROR_ESR; docs/rules.md H3.1)',
    'guest': 'Linux arch/arm64/kernel/traps.c arm64_is_ras_serror, arm64_is_fatal_ras_serror (docs/rules.md H2)',
}

GUEST_CODE = """[init]
PSTATE.EL = 1
PSTATE.SP = 1
PSTATE.A = {a}
HCR_EL2.AMO = 1                 # vSErrors enabled for the guest
PC = start

[code]
# The guest: at 'restored' it checks ID_AA64PFR0_EL1.RAS as Linux's
# alternatives would; a RAS guest synchronizes with ESB and reads DISR_EL1
# (VDISR_EL2, AMO = 1), any guest then unmasks SErrors.  The SError handler
# and the ESB path both decode the syndrome as Linux's do_serror does:
#   X2 = 1 an SError was seen (X0 = ESR_EL1 or DISR_EL1)
#   X3 = 1 arm64_is_ras_serror (IDS = 0 and the guest sees FEAT_RAS)
#   X4 = 1 Linux survives it (RAS, DFSC = AsyncSError, AET = CE or UEO)
start:
    nop
    nop
restored:
    mrs x9, id_aa64pfr0_el1
    ubfx x9, x9, #28, #4         # RAS as the guest sees it
    cbz x9, unmask
    esb                          # a masked vSError is deferred into VDISR_EL2
    mrs x1, disr_el1
    tbz x1, #31, unmask          # DISR_EL1.A = 0: nothing deferred
    mov x0, x1
    b classify
unmask:
    msr daifclr, #4              # a pending vSError is taken here
    nop
    end

.vector EL1 curr_spx serror
    mrs x0, esr_el1
    mrs x9, id_aa64pfr0_el1
    ubfx x9, x9, #28, #4
classify:
    mov x2, #1
    tbnz x0, #24, done           # IDS = 1: IMPLEMENTATION DEFINED, not a RAS error
    cbz x9, done                 # no FEAT_RAS: not a RAS error
    mov x3, #1
    ubfx x5, x0, #0, #6          # DFSC
    cmp x5, #0x11
    b.ne done                    # Uncategorized: fatal
    ubfx x6, x0, #10, #3         # AET
    cmp x6, #6                   # CE
    b.eq survive
    cmp x6, #2                   # UEO
    b.ne done
survive:
    mov x4, #1
done:
    end
"""


def onoff(b):
    return 'on' if b else 'off'


def host_knobs(ras, guest_ras, noras_iss=None):
    lines = ['ras = %s' % onoff(ras)]
    if not ras:
        lines.append('iesb = off                      # FEAT_IESB needs FEAT_RAS')
    lines.append('guest_ras = %s' % onoff(guest_ras))
    lines.append('vinject = kvm-overwrite         # Linux 4.19-6.16: SET pends with VSE')
    if noras_iss is not None:
        lines.append('noras_vserror_iss = 0x%x' % noras_iss)
    return '\n'.join(lines)


def classify(iss, guest_sees_ras):
    ids = (iss >> 24) & 1
    is_ras = (not ids) and guest_sees_ras
    dfsc = iss & 0x3f
    aet = (iss >> 10) & 7
    survive = is_ras and dfsc == 0x11 and aet in (6, 2)
    return int(is_ras), int(survive)


def outcome(final_ras, guest_ras, masked, iss):
    """What the guest sees of a pending vSError with this ISS on the final host."""
    if iss is None:
        return dict(seen=False, exceptions=0)
    sees_ras = final_ras and guest_ras
    is_ras, survive = classify(iss, sees_ras)
    if masked and sees_ras:
        return dict(seen=True, exceptions=0, x0=A_BIT | iss, vdisr=A_BIT | iss,
                    x3=is_ras, x4=survive)
    return dict(seen=True, exceptions=1, x0=0xbe000000 | iss, x3=is_ras, x4=survive)


def expect_lines(o, extra):
    lines = list(extra)
    lines.append('exceptions == %d' % o['exceptions'])
    if o['seen']:
        lines.append('X2 == 1                         # the guest saw an SError')
        lines.append('X0 == 0x%x' % o['x0'])
        if 'vdisr' in o:
            lines.append('VDISR_EL2 == 0x%x               # read by the guest as DISR_EL1' % o['vdisr'])
        else:
            lines.append('ESR_EL1 == 0x%x' % o['x0'])
        lines.append('X3 == %d                         # arm64_is_ras_serror' % o['x3'])
        lines.append('X4 == %d                         # Linux survives it' % o['x4'])
    else:
        lines.append('X2 == 0                         # the guest saw no SError')
    return lines


def write(name, text):
    with open(os.path.join(OUT, name + '.scn'), 'w') as f:
        f.write(text)


def migration_cell(src, dst, masked, g, vmm):
    has_esr = src                       # GET: has_esr = the source host's RAS
    saved_esr = SRC_ESR if src else 0
    sent_has, sent_esr, dropped, refused = has_esr, saved_esr, 0, False
    no_events = vmm in ('firecracker', 'cloud-hypervisor')   # no vcpu events saved on arm64
    if vmm == 'qemu' and not dst and has_esr:
        sent_has, sent_esr, dropped = 0, 0, 1
    if vmm == 'qemu-noesr' and has_esr:                      # never sends has_esr/esr
        sent_has, sent_esr, dropped = 0, 0, 1
    if no_events:
        sent_has, sent_esr = 0, 0
    if vmm == 'strict' and has_esr != dst:
        refused = True
    einval = (not refused) and sent_has and not dst
    if refused:
        final_ras, iss = src, (SRC_ESR if src else 0)
    elif einval or no_events:
        final_ras, iss = dst, None
    else:
        final_ras = dst
        iss = sent_esr if sent_has else (ISV if dst else 0)
    o = outcome(final_ras, g, masked, iss)
    name = 'mig-src-ras%d-dst-ras%d-esr%d-%s-guestras%d-%s' % (
        src, dst, has_esr, 'masked' if masked else 'unmasked', g, vmm)
    extra = ['vmops == 1',
             'vmop1.migration == 1',
             'vmop1.vmm == %s' % vmm,
             'vmop1.saved.pending == 1',
             'vmop1.saved.has_esr == %d' % has_esr,
             'vmop1.saved.esr == 0x%x' % saved_esr,
             'vmop1.refused == %d' % refused]
    if not refused:
        extra += ['vmop1.esr_dropped == %d' % dropped,
                  'vmop1.sent.has_esr == %d' % sent_has,
                  'vmop1.sent.esr == 0x%x' % sent_esr,
                  'vmop1.set == %s' % ('einval' if einval else 'ok')]
    if no_events:
        extra += ['vmop1.events_dropped == 1', 'vmop1.sent.pending == 0']
    # Lost: refused by SET (EINVAL), its syndrome dropped by the VMM, or no
    # events saved; else handed over to the destination (not 'merged':
    # RAS-B 2.5.3).
    lost = einval or dropped or no_events
    extra.append('ledger.lost == %d' % (1 if lost else 0))
    extra.append('ledger.handed_over == %d' % (0 if refused or lost else 1))
    src_event = 'vserror AET=UEO                  # KVM pends it with VSESR_EL2 = 0x811' if src \
        else 'vserror                          # no VSESR_EL2: the CPU\'s own syndrome (ISS 0)'
    when = 2 if masked else 0
    why = []
    why.append('GET on the source: pending=1 has_esr=%d esr=0x%x.' % (has_esr, saved_esr))
    if refused:
        why.append('The strict VMM refuses: has_esr (%d) differs from the destination\'s RAS (%d); the guest stays on the source.' % (has_esr, dst))
    elif no_events:
        why.append('%s saves no vcpu events on arm64: nothing is sent, the SError is lost.' % vmm)
    elif dropped:
        why.append('QEMU drops has_esr/esr (the destination lacks KVM_CAP_ARM_INJECT_SERROR_ESR).')
    if einval:
        why.append('SET with has_esr=1 on a host without RAS: EINVAL; the SError is lost.')
    elif not refused and not sent_has and not no_events:
        why.append('SET without an ESR: %s.' % ('KVM chooses ESR_ELx_ISV (IDS=1)' if dst else 'the CPU reports its own IMPLEMENTATION DEFINED syndrome (noras_vserror_iss = 0: ISS 0)'))
    text = """scenario: {name}
description: a pending vSError migrated from a {srcd} host to a {dstd} host through the {vmm} VMM, the guest {m} at restore, guest-visible RAS {g}
rule: {r1}; {r2}; {r3}; {r4}
tags: migration matrix

# {why}

[cpu]                            # host A: the source
{a}

[host B]                         # host B: the destination
{b}

{code}
[events]
at 0: {src_event}
at {when}: migrate to B vmm={vmm}

[expect]
{exp}
""".format(name=name, srcd='RAS' if src else 'non-RAS', dstd='RAS' if dst else 'non-RAS', vmm=vmm,
           m='masked' if masked else 'unmasked', g=onoff(g), r1=RULES['get'], r2=RULES['set'],
           r3=RULES['qemu'], r4=RULES['guest'], why='\n# '.join(why),
           a=host_knobs(src, g), b=host_knobs(dst, g),
           code=GUEST_CODE.format(a=1 if masked else 0), src_event=src_event, when=when,
           exp='\n'.join(expect_lines(o, extra)))
    write(name, text)
    return name


def image_cell(src, dst, masked, g):
    """has_esr as saved differs from the source's RAS: GET never writes such an
    image; a VMM that rewrites the events does.  The guest moves with nothing
    pending and the VMM restores the image's SError on B."""
    has_esr = 0 if src else 1
    esr = 0x1000042 if has_esr else 0     # a made-up IMPLEMENTATION DEFINED ESR (IDS=1)
    einval = has_esr and not dst
    if einval:
        iss = None
    elif has_esr:
        iss = esr
    else:
        iss = ISV if dst else 0
    o = outcome(dst, g, masked, iss)
    name = 'mig-src-ras%d-dst-ras%d-esr%d-%s-guestras%d-image' % (
        src, dst, has_esr, 'masked' if masked else 'unmasked', g)
    extra = ['vmops == 2', 'vmop1.migration == 1', 'vmop1.saved.pending == 0',
             'vmop2.migration == 0', 'vmop2.sent.has_esr == %d' % has_esr,
             'vmop2.sent.esr == 0x%x' % esr, 'vmop2.set == %s' % ('einval' if einval else 'ok')]
    what = ('an image claiming has_esr=1 with a made-up IMPLEMENTATION DEFINED ESR 0x1000042 (IDS=1) for a non-RAS source'
            if has_esr else 'an image from a RAS source with has_esr=0 (the VMM did not keep the ESR)')
    text = """scenario: {name}
description: restore on a {dstd} host of {what}, the guest {m} at restore, guest-visible RAS {g}
rule: {r1}; {r2}; {r4}
tags: migration matrix image

# GET can only save has_esr = the source host's RAS; this cell is an image
# whose SError part a VMM wrote itself.  The guest moves with nothing
# pending, then the VMM issues SET with the image's events on B.

[cpu]                            # host A: the source
{a}

[host B]                         # host B: the destination
{b}

{code}
[events]
at {when}: migrate to B vmm=verbatim
at {when}: set_events pending=1 has_esr={h} esr=0x{esr:x}

[expect]
{exp}
""".format(name=name, dstd='RAS' if dst else 'non-RAS', what=what, m='masked' if masked else 'unmasked',
           g=onoff(g), r1=RULES['get'], r2=RULES['set'], r4=RULES['guest'],
           a=host_knobs(src, g, 0x1000042 if not src else None), b=host_knobs(dst, g),
           code=GUEST_CODE.format(a=1 if masked else 0), when=2 if masked else 0, h=has_esr,
           esr=esr, exp='\n'.join(expect_lines(o, extra)))
    write(name, text)
    return name


def custom(name, description, rules, why, a, b, masked, events, expect, code=None):
    text = """scenario: {name}
description: {description}
rule: {rules}
tags: migration discussion

# {why}

[cpu]                            # host A: the source (or the only host)
{a}
{b}
{code}
[events]
{events}

[expect]
{exp}
""".format(name=name, description=description, rules=rules, why='\n# '.join(why), a=a,
           b=('\n[host B]                         # host B: the destination\n' + b + '\n') if b else '',
           code=code or GUEST_CODE.format(a=1 if masked else 0), events='\n'.join(events),
           exp='\n'.join(expect))
    write(name, text)
    return name


SET_CODE = """[init]
PSTATE.EL = 1
PSTATE.SP = 1
PSTATE.A = {a}
HCR_EL2.AMO = 1
PC = start

[code]
# The handler keeps the first ESR_EL1 in X11 and the second in X12, and
# returns; the program unmasks SErrors and ends.
start:
    nop
    nop
    nop
    msr daifclr, #4
    nop
    nop
    end

.vector EL1 curr_spx serror
    mrs x0, esr_el1
    cbnz x11, second
    mov x11, x0
    eret
second:
    mov x12, x0
    eret
"""

UER, CE = 0xc11, 0x1811


def set_while_pending(masked, policy):
    """A UER vSError is pending (KVM pended it); userspace SETs a CE one."""
    name = 'set-while-pending-%s-%s' % ('masked' if masked else 'unmasked', policy)
    deliver_now = policy == 'kvm-deliver-or-pend' and not masked
    if policy == 'combine':
        seen, led = [UER], ['ledger.merged == 1', 'ledger.lost == 0']
        why = 'combine (RAS 2.5.3): VSESR_EL2 = UER + CE = UER (UER ranks above CE); one SError.'
    elif deliver_now:
        seen, led = [UER, CE], ['ledger.merged == 0', 'ledger.lost == 0']
        why = ('Linux 6.17+: the first injection found PSTATE.A = 0 and was entered at once; '
               'SET then finds the vSError masked (in the handler) and pends CE: two SErrors.')
    else:
        seen, led = [CE], ['ledger.merged == 0', 'ledger.lost == 1']
        why = ('%s: VSESR_EL2 is overwritten with CE and VSE stays set: the UER is lost '
               'and Linux survives an error it would have panicked on.' % policy)
    exp = ['vmops == 1', 'vmop1.migration == 0', 'vmop1.set == ok', 'vmop1.sent.esr == 0x%x' % CE,
           'exceptions == %d' % len(seen), 'X11 == 0x%x' % (0xbe000000 | seen[0]),
           'X12 == %s' % ('0x%x' % (0xbe000000 | seen[1]) if len(seen) > 1 else '0')] + led
    when = 2 if masked else 0
    return custom(name, 'SET_VCPU_EVENTS with a CE syndrome while a UER vSError is pending, guest %s, vinject = %s' % ('masked' if masked else 'unmasked', policy),
                  'Linux arch/arm64/kvm/inject_fault.c pend_guest_serror (v4.19-v6.16: overwrite), kvm_inject_serror_esr (v6.17: deliver or pend); Documentation/virt/kvm/api.rst 4.32 (follow RAS-B §2.5.3); docs/rules.md H1.5, H1.6; docs/policies.md vinject',
                  [why], 'ras = on\nvinject = %s' % policy, None, masked,
                  ['at 0: vserror AET=UER                   # KVM pended a UER vSError',
                   'at %d: set_events pending=1 has_esr=1 esr=0x%x   # userspace: CE' % (when, CE)],
                  exp, SET_CODE.format(a=1 if masked else 0))


def discussion():
    names = []
    base_rules = RULES['get'] + '; ' + RULES['set'] + '; ' + RULES['qemu']
    # 1. ESR = 0 on a VSESR host, moved to a host whose vSError syndrome is IMPDEF.
    for vmm, outcome_, exp in (
            ('qemu', 'QEMU drops has_esr; the non-RAS CPU reports its IMPLEMENTATION DEFINED syndrome 0x1000042 instead of 0.',
             ['vmop1.set == ok', 'vmop1.esr_dropped == 1', 'exceptions == 1', 'ESR_EL1 == 0xbf000042', 'X2 == 1', 'X3 == 0', 'X4 == 0', 'ledger.lost == 1']),
            ('verbatim', 'SET with has_esr=1 on the non-RAS host: EINVAL, the SError is lost.',
             ['vmop1.set == einval', 'exceptions == 0', 'X2 == 0', 'ledger.lost == 1']),
            ('strict', 'The strict VMM refuses: the guest stays on the VSESR host and sees ESR 0 there.',
             ['vmop1.refused == 1', 'exceptions == 0', 'VDISR_EL2 == 0x80000000', 'X0 == 0x80000000', 'X2 == 1', 'X3 == 1', 'X4 == 0'])):
        names.append(custom(
            'orig-esr0-vsesr-host-to-impdef-host-%s' % vmm,
            'the original discussion: a vSError pending with ESR = 0 on a VSESR (RAS) host moved through %s to a non-RAS host whose vSError syndrome is IMPLEMENTATION DEFINED' % vmm,
            base_rules + '; AArch64.TakeVirtualSErrorException; docs/rules.md R8.11 (noras_vserror_iss)',
            ['ESR = 0 on a RAS host is an architected syndrome (IDS=0, DFSC=Uncategorized).',
             'GET: pending=1 has_esr=1 esr=0.  ' + outcome_],
            host_knobs(True, True), host_knobs(False, True, 0x1000042), True,
            ['at 0: vserror iss=0                     # VSESR_EL2 = 0', 'at 2: migrate to B vmm=%s' % vmm],
            ['vmop1.saved.has_esr == 1', 'vmop1.saved.esr == 0'] + exp))
    # 2. v8.0 -> v8.2: KVM makes up ESR_ELx_ISV.
    names.append(custom(
        'orig-v80-to-v82-kvm-made-up-impdef',
        'the original discussion: a pending vSError moved from a v8.0 host (IMPLEMENTATION DEFINED syndrome 0x1000042) to a v8.2 host through QEMU; KVM makes up ESR_ELx_ISV (IDS=1)',
        base_rules,
        ['GET on v8.0: pending=1 has_esr=0.  SET without an ESR on v8.2: kvm_inject_vabt, ESR_ELx_ISV',
         '(IDS=1, IMPLEMENTATION DEFINED bits 0): still an IMPLEMENTATION DEFINED syndrome, but not the',
         'v8.0 CPU\'s.  The guest keeps FEAT_RAS hidden (guest_ras = off, ID_AA64PFR0_EL1 writable in 6.17).'],
        host_knobs(False, False, 0x1000042), host_knobs(True, False), True,
        ['at 0: vserror', 'at 2: migrate to B vmm=qemu'],
        ['vmop1.saved.has_esr == 0', 'vmop1.sent.has_esr == 0', 'vmop1.set == ok', 'exceptions == 1',
         'ESR_EL1 == 0xbf000000', 'X2 == 1', 'X3 == 0', 'X4 == 0', 'ledger.handed_over == 1']))
    # 3. v8.0 -> v8.2: the VMM makes up the v8.0 CPU's own IMPDEF ESR.
    amo = 'HCR_EL2.AMO = 1                 # vSErrors enabled for the guest\n'
    names.append(custom(
        'orig-v80-to-v82-vmm-made-up-impdef',
        'the original discussion: moving a v8.0 guest to v8.2, the VMM restores the SError with a made-up IMPLEMENTATION DEFINED ESR (IDS=1) equal to the v8.0 CPU\'s syndrome 0x1000042',
        base_rules,
        ['The VMM profile \'translate\' sends the v8.0 CPU\'s own syndrome as the ESR when',
         'the destination has RAS: GET saved {pending=1, has_esr=0}, SET receives',
         '{pending=1, has_esr=1, esr=0x1000042}.  The guest sees 0xbf000042 on v8.2,',
         'what the v8.0 CPU would have reported, and the ledger links the two hosts\'',
         'conditions (the source\'s is handed over to the destination\'s).'],
        host_knobs(False, False, 0x1000042), host_knobs(True, False), True,
        ['at 2: migrate to B vmm=translate'],
        ['vmops == 1', 'vmop1.set == ok', 'vmop1.saved.has_esr == 0', 'vmop1.sent.has_esr == 1',
         'vmop1.sent.esr == 0x1000042', 'ledger.handed_over == 1', 'ledger.taken == 1',
         'exceptions == 1', 'ESR_EL1 == 0xbf000042', 'X2 == 1', 'X3 == 0'],
        code=GUEST_CODE.format(a=1).replace(amo, amo + 'HCR_EL2.VSE = 1                 # a vSError pending on the v8.0 host, masked\n')))
    # 4. The hazard of a guest that does not see RAS on a RAS host (Linux v6.17 arch/arm64/kvm/sys_regs.c; docs/rules.md H1.7).
    hazard_code = GUEST_CODE.format(a=1).replace(
        """    mrs x9, id_aa64pfr0_el1
    ubfx x9, x9, #28, #4         # RAS as the guest sees it
    cbz x9, unmask
    esb                          # a masked vSError is deferred into VDISR_EL2
    mrs x1, disr_el1
    tbz x1, #31, unmask          # DISR_EL1.A = 0: nothing deferred
    mov x0, x1
    b classify
""", """    esb                          # a hint (NOP) for a guest without FEAT_RAS
""")
    names.append(custom(
        'hazard-hidden-ras-esb-consumes-vserror',
        'a v8.0 guest moved to a v8.2 host that hides FEAT_RAS executes ESB while masked: the vSError is deferred into VDISR_EL2, which the guest never reads',
        RULES['qemu'] + '; ARM-M C6.2 ESB, D24.9.18 VSESR_EL2 (on a RAS host an ESB in the VM consumes a pending vSError: VSESR/VDISR reach a guest that does not see RAS; docs/rules.md H1.7)',
        ['On v8.0 the ESB is a NOP and the guest takes the SError when it unmasks; on v8.2',
         'the hardware defers it into VDISR_EL2 whatever ID_AA64PFR0_EL1 says, and the guest,',
         'which believes there is no DISR_EL1, never sees it.'],
        host_knobs(False, False), host_knobs(True, False), True,
        ['at 0: vserror', 'at 2: migrate to B vmm=qemu'],
        ['vmop1.set == ok', 'exceptions == 0', 'X2 == 0', 'VDISR_EL2 == 0x81000000', 'HCR_EL2.VSE == 0',
         'ledger.deferred == 0', 'ledger.lost == 1'], hazard_code))
    # 5. SET while pending, under each policy.
    for masked in (True, False):
        for pol in ('combine', 'kvm-overwrite', 'kvm-deliver-or-pend'):
            names.append(set_while_pending(masked, pol))
    return names


R_VMMS = ('QEMU v7.2.0 target/arm/kvm.c kvm_arch_init (cap_has_inject_serror_esr); '
          'firecracker src/vmm/src/vstate/vcpu/aarch64.rs VcpuState; cloud-hypervisor vmm/src/cpu.rs')


def hops():
    """Round trips and a nested vCPU, named hop by hop in the matrix."""
    names = []
    # Non-RAS -> RAS through QEMU (KVM makes up ESR_ELx_ISV), then on to a
    # second non-RAS host through a verbatim VMM: the ESR it saved on the
    # RAS host is refused (EINVAL) on the way back.
    names.append(custom(
        'roundtrip-ras0-ras1-ras0-qemu-verbatim',
        'a pending vSError carried non-RAS -> RAS (qemu) -> non-RAS (verbatim): the way back fails with EINVAL and the SError is lost',
        RULES['get'] + '; ' + RULES['set'] + '; ' + RULES['qemu'],
        ['Hop 1: GET on A has_esr=0; SET on B without an ESR: KVM makes up ESR_ELx_ISV (handed over).',
         'Hop 2: GET on B has_esr=1 esr=0x1000000; the verbatim VMM sends it to C, which has no RAS:',
         'EINVAL, the SError is lost.  The matrix names each hop and the one that failed.'],
        host_knobs(False, True), host_knobs(True, True) + '\n\n[host C]                         # host C: back to a host without RAS\n' + host_knobs(False, True),
        True, ['at 0: vserror', 'at 2: migrate to B vmm=qemu', 'at 2: migrate to C vmm=verbatim'],
        ['vmops == 2', 'vmop1.set == ok', 'vmop2.saved.has_esr == 1', 'vmop2.saved.esr == 0x1000000',
         'vmop2.set == einval', 'exceptions == 0', 'X2 == 0', 'ledger.handed_over == 1', 'ledger.lost == 1']))
    # A round trip that starts with a SET on A: a migration cell.
    names.append(custom(
        'roundtrip-set-ras1-ras1-ras1-qemu',
        'userspace SETs a UEO vSError on A, then the guest goes A -> B -> C (all RAS) through qemu: handed over twice, the guest sees the UEO',
        RULES['set'] + '; ' + RULES['qemu'],
        ['A round trip whose first operation is a SET is a migration cell: the SET restores, the',
         'two migrations each hand the SError over with its syndrome.'],
        host_knobs(True, True), host_knobs(True, True) + '\n\n[host C]\n' + host_knobs(True, True),
        True, ['at 0: set_events pending=1 has_esr=1 esr=0x811', 'at 2: migrate to B vmm=qemu',
               'at 2: migrate to C vmm=qemu'],
        ['vmops == 3', 'vmop1.set == ok', 'vmop2.set == ok', 'vmop3.set == ok', 'exceptions == 0',
         'X2 == 1', 'X0 == 0x80000811', 'VDISR_EL2 == 0x80000811', 'X4 == 1', 'ledger.handed_over == 2',
         'ledger.lost == 0']))
    # A nested vCPU: the guest hypervisor at vEL2 has a vSError pending
    # for its guest (a SET at EL2), migrated; it returns to EL1 with AMO = 1.
    nested_code = """[init]
PSTATE.EL = 2                    # the vCPU runs its guest hypervisor (vEL2)
PSTATE.SP = 1
PSTATE.A = 1
HCR_EL2.AMO = 1
ELR_EL2 = guest
SPSR_EL2 = 0x2c5                 # EL1h, A = 0
PC = start

[code]
start:
    nop
    nop
    nop
    eret
guest:
    nop
    end

.vector EL1 curr_spx serror
    mrs x0, esr_el1
    mov x2, #1
    end
"""
    for vmm, carried in (('qemu', True), ('firecracker', False)):
        exp = ['vmops == 2', 'vmop1.at_el2 == 1', 'vmop2.at_el2 == %d' % carried, 'vmop2.set == ok']
        if carried:
            exp += ['exceptions == 1', 'X2 == 1', 'ESR_EL1 == 0xbe000811', 'ledger.handed_over == 1',
                    'ledger.taken == 1', 'ledger.lost == 0']
        else:
            exp += ['exceptions == 0', 'X2 == 0', 'vmop2.events_dropped == 1', 'ledger.lost == 1']
        names.append(custom(
            'mig-nested-vel2-ras1-ras1-%s' % vmm,
            'a nested vCPU: a vSError a SET pended while the guest hypervisor ran at vEL2, migrated RAS -> RAS through %s; the guest hypervisor then returns to its guest at EL1 with AMO = 1' % vmm,
            RULES['set'] + '; ' + RULES['qemu'] + '; Linux v6.17 arch/arm64/kvm/inject_fault.c kvm_inject_serror_esr (vEL2); ' + R_VMMS,
            ['The SET at EL2 pends HCR_EL2.VSE (masked); GET on A saves it, SET on B at EL2 pends it',
             'again%s.  At the ERET to EL1 with AMO = 1 and PSTATE.A = 0 the PE takes it.' % ('' if carried else ' (firecracker sends nothing: lost)')],
            host_knobs(True, True), host_knobs(True, True), True,
            ['at 0: set_events pending=1 has_esr=1 esr=0x811', 'at 1: migrate to B vmm=%s' % vmm], exp,
            code=nested_code))
    return names


def main():
    names = discussion() + hops()
    for src in (0, 1):
        for dst in (0, 1):
            for masked in (True, False):
                for g in (0, 1):
                    for vmm in ('qemu', 'verbatim', 'strict'):
                        names.append(migration_cell(src, dst, masked, g, vmm))
                    names.append(image_cell(src, dst, masked, g))
                    if g:   # the VMMs that drop the ESR or every event
                        for vmm in ('qemu-noesr', 'firecracker', 'cloud-hypervisor'):
                            names.append(migration_cell(src, dst, masked, g, vmm))
    print('%d scenarios written to %s' % (len(names), OUT))


if __name__ == '__main__':
    main()
