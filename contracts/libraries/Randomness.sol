// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Randomness
/// @notice Seeds for drawing agents and committees.
/// @dev `blockhash(block.number)` is always zero, the original team's bug. We mix the beacon
/// value of this block (`prevrandao`), the previous block's hash, the contract and a per-use
/// nonce. Agents and verifiers cannot steer it; a block proposer, or a submitter choosing its
/// block, can bias it at the cost of withholding blocks or waiting: see docs/architecture.md.
library Randomness {
    function seed(uint256 domain, uint256 nonce) internal view returns (uint256) {
        return uint256(
            keccak256(abi.encode(block.prevrandao, blockhash(block.number - 1), address(this), domain, nonce))
        );
    }
}
