package app

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptrace"
	"os"
	"slices"
	"testing"
	"time"
)

// musicCatalog20k fills the music read model, with the catalog and swarm
// rows of its torrents, straight in SQL: 5,000 artists, 20,000 albums
// (each crediting one main artist, half a guest too), 30,000 editions and
// 50,000 formats, years, release types, tags, labels, logs and live
// counts spread over them.
const musicCatalog20k = `
INSERT INTO music.artists (id, num, name, created_at)
	SELECT md5('artist' || i)::uuid, i, 'Artist ' || lpad(i::text, 4, '0') || ' ' || (ARRAY['Quartet','Sound System','Orchestra','Band','Collective'])[1 + i % 5],
		timestamptz '2026-01-01'
	FROM generate_series(1, 5000) i;
INSERT INTO music.artist_names (name_key, name, artist) SELECT lower(name), name, id FROM music.artists;
INSERT INTO music.albums (id, num, title, year, release_type, tags, created_at, updated_at)
	SELECT md5('album' || i)::uuid, i, 'Album ' || lpad(i::text, 5, '0') || ' ' || (ARRAY['Nights','Rivers','Machines','Gardens','Echoes','Lights'])[1 + i % 6],
		1960 + i % 66, (ARRAY[1,1,1,3,5,6,7,9,11,13,14,21])[1 + i % 12],
		ARRAY[(ARRAY['rock','jazz','electronic','ambient','pop','folk','hip.hop','classical'])[1 + i % 8],
		      (ARRAY['1990s','experimental','instrumental','female.vocalist','live'])[1 + i % 5]],
		timestamptz '2026-01-01', timestamptz '2026-01-01'
	FROM generate_series(1, 20000) i;
INSERT INTO music.credits (album, artist, role, ord)
	SELECT md5('album' || i)::uuid, md5('artist' || (1 + i % 5000))::uuid, 1, 1 FROM generate_series(1, 20000) i;
INSERT INTO music.credits (album, artist, role, ord)
	SELECT md5('album' || i)::uuid, md5('artist' || (1 + (i * 7) % 5000))::uuid, 2, 2 FROM generate_series(1, 20000, 2) i
	ON CONFLICT DO NOTHING;
INSERT INTO music.releases (id, album, year, record_label, catalogue_number, media, seq)
	SELECT md5('release' || i || '.' || e)::uuid, md5('album' || i)::uuid, CASE e WHEN 1 THEN 0 ELSE 2000 + i % 26 END,
		(ARRAY['Warp','Blue Note','4AD','Sub Pop','Matador','ECM','Hospital'])[1 + (i + e) % 7], 'CAT' || i || '-' || e,
		(ARRAY['CD','Vinyl','WEB','CD','Cassette','SACD'])[1 + (i + e) % 6], i * 2 + e
	FROM generate_series(1, 20000) i, generate_series(1, 2) e WHERE e = 1 OR i % 2 = 0;
INSERT INTO music.formats (info_hash, num, album, release, format, encoding, has_log, log_score, has_cue, scene, added_at, seq)
	SELECT decode(lpad(to_hex(n), 40, '0'), 'hex'), n, album, id,
		(ARRAY['FLAC','MP3','FLAC','MP3','AAC'])[1 + k], (ARRAY['Lossless','320','24bit Lossless','V0 (VBR)','256'])[1 + k],
		k = 0 AND n % 3 = 0, CASE WHEN k = 0 AND n % 3 = 0 THEN 100 ELSE 0 END, k = 0 AND n % 2 = 0, n % 17 = 0,
		timestamptz '2026-01-01' + n * interval '1 minute', n
	FROM (SELECT r.id, r.album, k, row_number() OVER (ORDER BY r.seq, k) AS n
	      FROM music.releases r, generate_series(0, 2) k WHERE k < 1 + r.seq % 3) x;
UPDATE music.albums al SET live_formats = x.n, last_added = x.newest
	FROM (SELECT album, count(*) AS n, max(added_at) AS newest FROM music.formats GROUP BY album) x WHERE al.id = x.album;
INSERT INTO catalog.torrents (info_hash, name, title, category, uploader, added_at, size, file_count, upload_percent, download_percent)
	SELECT info_hash, 'format ' || num, 'format ' || num, 'Music', gen_random_uuid(), added_at, (num * 7919) % 1000 * 1048576::bigint, 12, 100,
		CASE WHEN num % 50 = 0 THEN 0 ELSE 100 END
	FROM music.formats;
INSERT INTO swarm.torrents (info_hash, name, size, registered_at, seeders, leechers, snatches)
	SELECT info_hash, name, size, added_at, get_byte(info_hash, 19) % 41, get_byte(info_hash, 18) % 7, get_byte(info_hash, 19) % 97
	FROM catalog.torrents WHERE name LIKE 'format %';
ANALYZE music.artists; ANALYZE music.artist_names; ANALYZE music.albums; ANALYZE music.credits; ANALYZE music.releases;
ANALYZE music.formats; ANALYZE catalog.torrents; ANALYZE swarm.torrents`

// TestMusicBrowseTimeToFirstByte20k logs /music/'s time to first byte
// (median of 20) over 20,000 albums for the plain list, each order, text
// searches and each kind of filter, and deep pages; it asserts nothing
// about time. Run it with
//
//	DJEMBE_BROWSE_TTFB=1 go test ./internal/app -run TestMusicBrowseTimeToFirstByte20k -v
func TestMusicBrowseTimeToFirstByte20k(t *testing.T) {
	if os.Getenv("DJEMBE_BROWSE_TTFB") == "" {
		t.Skip("set DJEMBE_BROWSE_TTFB=1 to measure")
	}
	m, _ := torrentsSite(t)
	ctx := context.Background()
	if _, err := m.Instance().Pool.Exec(ctx, musicCatalog20k); err != nil {
		t.Fatal(err)
	}
	var albums, formats int
	m.Instance().Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM music.albums), (SELECT count(*) FROM music.formats)`).Scan(&albums, &formats)
	t.Logf("%d albums, %d formats", albums, formats)
	b := signedInBrowser(t, m)
	for _, q := range []string{"", "order_by=seeders", "order_by=name&order_way=asc", "order_by=year", "order_by=size",
		"searchstr=nights", "searchstr=artist+0042", "artistname=orchestra", "groupname=album+1999",
		"format=FLAC&encoding=Lossless&haslog=1", "media=Vinyl", "year=1990-1999", "releasetype=5",
		"taglist=jazz,live&tags_type=1", "recordlabel=warp&order_by=snatched", "cataloguenumber=CAT1234",
		"page=20", "page=200", "searchstr=rivers&page=50"} {
		var ttfb []time.Duration
		for range 20 {
			req, _ := http.NewRequest("GET", b.site+"/music/?"+q, nil)
			var start, first time.Time
			req = req.WithContext(httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
				WroteRequest:         func(httptrace.WroteRequestInfo) { start = time.Now() },
				GotFirstResponseByte: func() { first = time.Now() },
			}))
			res, err := b.c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 || !bytes.Contains(body, []byte(`href="/music/albums/`)) {
				t.Fatalf("%s: %d, or no album listed", q, res.StatusCode)
			}
			ttfb = append(ttfb, first.Sub(start))
		}
		slices.Sort(ttfb)
		t.Logf("/music/?%-40s TTFB median %7.2f ms, max %7.2f ms", q, float64(ttfb[len(ttfb)/2].Microseconds())/1000, float64(ttfb[len(ttfb)-1].Microseconds())/1000)
	}
}
