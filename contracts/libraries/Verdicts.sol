// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IDisputeManager, VOTE_ACCEPT} from "../interfaces/IDisputeManager.sol";

/// @title Verdicts
/// @notice The arithmetic of a dispute, on plain values: the verdict a tally reaches, which revealed
/// votes form the majority, how the slashed stake and the bond are shared, and who wins the task.
/// @dev Counts are against the committee's size m, never the votes cast: a supermajority is
/// `count * 3 > m * 2`, strictly more than two thirds.
///
/// Every vote is compared with the accused vote: the accused output's digest for EXACT models,
/// VOTE_ACCEPT for TOLERANT ones (whose votes are only VOTE_ACCEPT or VOTE_REJECT). A vote equal to
/// it is for the accused output, any other vote against.
library Verdicts {
    /// @dev Basis points in a whole.
    uint256 internal constant BPS = 10_000;
    /// @dev An agent index that names nobody (a task's indexes are 0..5; the task manager reads 7 or
    /// more as none).
    uint8 internal constant NO_INDEX = 7;

    /// @dev What the revealed votes of a dispute add up to.
    struct Tally {
        bool tolerant;
        uint256 committeeSize;
        uint256 reveals;
        // Revealed votes equal to the accused vote.
        uint256 forCount;
        // The vote revealed most often so far and how often (the first to reach a count keeps it).
        bytes32 leadingVote;
        uint256 leadingCount;
    }

    /// @dev What a tally decides.
    struct Decision {
        IDisputeManager.Verdict verdict;
        // EXACT only: the digest more than 2m/3 members voted, zero if none. Always zero for TOLERANT.
        bytes32 majorityVote;
        uint256 votesFor;
        uint256 votesAgainst;
        // The majority voters, who share the voting reward: members whose revealed vote equals
        // `rewardedVote`, or differs from it when `rewardInverted`. `rewardedCount` of them.
        bytes32 rewardedVote;
        bool rewardInverted;
        uint256 rewardedCount;
    }

    /// @dev How the slashed stake and the bond of one dispute are shared. The parts add up to
    /// slashed + bond exactly: the treasury takes every rounding remainder.
    struct Split {
        // Fraud reward plus the part of the bond that goes back.
        uint256 challenger;
        // Each majority voter's voting reward.
        uint256 perVoter;
        uint256 treasury;
    }

    /// @dev Whether `count` members are strictly more than two thirds of a committee of `m`.
    function isSupermajority(uint256 count, uint256 m) internal pure returns (bool) {
        return count * 3 > m * 2;
    }

    /// @dev The verdict of `t`, its EXACT majority digest, and who earns the voting reward:
    /// - EXACT with a majority digest: those who voted it (they may convict agents other than the
    ///   accused, even when the accused is innocent);
    /// - otherwise Guilty: those who voted against the accused vote; Innocent: those who voted for it;
    /// - Inconclusive without a majority digest: nobody.
    function decide(Tally memory t, bytes32 accusedVote) internal pure returns (Decision memory d) {
        uint256 m = t.committeeSize;
        d.votesFor = t.forCount;
        // Cannot underflow: forCount counts some of the reveals.
        d.votesAgainst = t.reveals - t.forCount;
        if (!t.tolerant && isSupermajority(t.leadingCount, m)) d.majorityVote = t.leadingVote;

        if (isSupermajority(d.votesAgainst, m)) d.verdict = IDisputeManager.Verdict.Guilty;
        else if (isSupermajority(d.votesFor, m)) d.verdict = IDisputeManager.Verdict.Innocent;
        else d.verdict = IDisputeManager.Verdict.Inconclusive;

        if (d.majorityVote != 0) {
            (d.rewardedVote, d.rewardedCount) = (d.majorityVote, t.leadingCount);
        } else if (d.verdict == IDisputeManager.Verdict.Guilty) {
            (d.rewardedVote, d.rewardInverted, d.rewardedCount) = (accusedVote, true, d.votesAgainst);
        } else if (d.verdict == IDisputeManager.Verdict.Innocent) {
            (d.rewardedVote, d.rewardedCount) = (accusedVote, d.votesFor);
        }
    }

    /// @dev The vote for the accused output: `accusedDigest` for an EXACT model, VOTE_ACCEPT for a TOLERANT one.
    function voteFor(bool tolerant, bytes32 accusedDigest) internal pure returns (bytes32) {
        return tolerant ? VOTE_ACCEPT : accusedDigest;
    }

    /// @dev Whether revealed vote `vote` earns the voting reward under decision `d`.
    function isRewarded(Decision memory d, bytes32 vote) internal pure returns (bool) {
        if (d.rewardedCount == 0) return false;
        return d.rewardInverted ? vote != d.rewardedVote : vote == d.rewardedVote;
    }

    /// @dev Shares `slashed` and `bond`: `challengerBps` of the slashed stake to the challenger (to
    /// the treasury when there is none); `voterBps` of it, and of the forfeited bond, equally among
    /// `voters` majority voters; `falseDisputeBps` of the bond forfeited when `innocent`, the rest of
    /// the bond back to the challenger; everything else to the treasury.
    function split(
        uint256 slashed,
        uint256 bond,
        bool innocent,
        bool hasChallenger,
        uint256 voters,
        uint256 challengerBps,
        uint256 voterBps,
        uint256 falseDisputeBps
    ) internal pure returns (Split memory s) {
        uint256 forfeited = innocent ? bond * falseDisputeBps / BPS : 0;
        if (hasChallenger) s.challenger = slashed * challengerBps / BPS + (bond - forfeited);
        if (voters != 0) s.perVoter = (slashed * voterBps / BPS + forfeited * voterBps / BPS) / voters;
        // Cannot underflow: challengerBps + voterBps <= BPS and the bond returned is bond - forfeited.
        s.treasury = slashed + bond - s.challenger - s.perVoter * voters;
    }

    /// @dev The first agent index in `commitOrder` whose revealed digest (`digests`, zero when not
    /// revealed) is `vote`, or NO_INDEX.
    function firstWith(bytes32 vote, bytes32[] memory digests, uint8[] memory commitOrder)
        internal
        pure
        returns (uint8)
    {
        for (uint256 i; i < commitOrder.length; ++i) {
            uint8 index = commitOrder[i];
            if (index < digests.length && digests[index] == vote) return index;
        }
        return NO_INDEX;
    }
}
