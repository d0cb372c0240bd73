// The DDML commands that act on the spongos alone and so behave the same whether a message is being
// wrapped or unwrapped: external absorb and squeeze, commit, fork. The wrap and unwrap contexts
// inherit them with the spongos they drive.
#pragma once

#include "iota_streams/ddml/status.h"
#include "iota_streams/sponge/spongos.h"

namespace iota_streams::ddml {

class SpongosCommands {
 public:
  sponge::Spongos& spongos() { return spongos_; }
  const sponge::Spongos& spongos() const { return spongos_; }

  Status absorb_external(ByteSpan data) {
    spongos_.absorb(data);
    return Status::success();
  }
  Status absorb_external_u8(uint8_t v) { return absorb_external(ByteSpan(&v, 1)); }
  Status squeeze_external(MutableByteSpan out) {
    spongos_.squeeze(out);
    return Status::success();
  }
  Status commit() {
    spongos_.commit();
    return Status::success();
  }

  // Runs `body` on the current spongos, then puts the spongos back as it was before.
  template <class Body>
  Status fork(Body&& body) {
    const sponge::Spongos saved = spongos_;
    Status status = body();
    spongos_ = saved;
    return status;
  }

 protected:
  sponge::Spongos spongos_;
};

}  // namespace iota_streams::ddml
