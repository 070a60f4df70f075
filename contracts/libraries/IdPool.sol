// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IdPool
/// @notice A set of 24-bit member ids with O(1) add and remove (swap and pop) and an O(k) uniform
/// draw without replacement, whatever the pool's size.
/// @dev The draw is a Fisher-Yates shuffle of the first k positions done virtually on indexes:
/// the swaps it would write live in a small memory table, so it reads exactly one storage word
/// per drawn member and writes none. Members take a word each (rather than ten per word) so that
/// this holds for small pools too: a draw costs the same with 10 members or 10,000.
library IdPool {
    struct Pool {
        uint256[] members;
        // id => index in `members` + 1; 0 means absent.
        mapping(uint24 id => uint256) positionPlusOne;
    }

    /// @dev Adds `id`; does nothing if it is already a member. Returns whether it was added.
    function add(Pool storage self, uint24 id) internal returns (bool) {
        if (self.positionPlusOne[id] != 0) return false;
        self.members.push(id);
        self.positionPlusOne[id] = self.members.length;
        return true;
    }

    /// @dev Removes `id`; does nothing if it is not a member. Returns whether it was removed.
    function remove(Pool storage self, uint24 id) internal returns (bool) {
        uint256 positionPlusOne = self.positionPlusOne[id];
        if (positionPlusOne == 0) return false;
        uint256 last = self.members.length - 1;
        if (positionPlusOne - 1 != last) {
            uint256 moved = self.members[last];
            self.members[positionPlusOne - 1] = moved;
            self.positionPlusOne[uint24(moved)] = positionPlusOne;
        }
        self.members.pop();
        delete self.positionPlusOne[id];
        return true;
    }

    function contains(Pool storage self, uint24 id) internal view returns (bool) {
        return self.positionPlusOne[id] != 0;
    }

    function size(Pool storage self) internal view returns (uint256) {
        return self.members.length;
    }

    /// @dev Draws min(k, available) distinct members uniformly at random, never `exclude` (0 for
    /// none). Every subset of that size is equally likely for a uniformly random `seed`.
    function draw(Pool storage self, uint256 k, uint256 seed, uint24 exclude)
        internal
        view
        returns (uint24[] memory picked)
    {
        uint256 n = self.members.length;
        uint256 excludedPlusOne = exclude == 0 ? 0 : self.positionPlusOne[exclude];
        if (excludedPlusOne != 0) n -= 1;
        if (k > n) k = n;
        picked = new uint24[](k);
        // The virtual swap table: position => index now there. At most k + 1 entries are written.
        uint256[] memory keys = new uint256[](k + 1);
        uint256[] memory values = new uint256[](k + 1);
        uint256 used = 0;
        if (excludedPlusOne != 0 && excludedPlusOne - 1 != n) {
            // The last member takes the excluded one's place; the draw covers the first n.
            keys[0] = excludedPlusOne - 1;
            values[0] = n;
            used = 1;
        }
        for (uint256 i; i < k; ++i) {
            uint256 j = i + uint256(keccak256(abi.encode(seed, i))) % (n - i);
            uint256 atJ = _at(keys, values, used, j);
            if (j != i) {
                // Position j now holds what was at i; position i is never read again.
                used = _set(keys, values, used, j, _at(keys, values, used, i));
            }
            picked[i] = uint24(self.members[atJ]);
        }
    }

    /// @dev The index at `position` after the swaps so far (itself if never swapped).
    function _at(uint256[] memory keys, uint256[] memory values, uint256 used, uint256 position)
        private
        pure
        returns (uint256)
    {
        for (uint256 e; e < used; ++e) {
            if (keys[e] == position) return values[e];
        }
        return position;
    }

    function _set(uint256[] memory keys, uint256[] memory values, uint256 used, uint256 position, uint256 value)
        private
        pure
        returns (uint256)
    {
        for (uint256 e; e < used; ++e) {
            if (keys[e] == position) {
                values[e] = value;
                return used;
            }
        }
        keys[used] = position;
        values[used] = value;
        return used + 1;
    }
}
